package org.jdissect.cuda;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.bytedeco.javacpp.tools.Info;
import org.bytedeco.javacpp.tools.InfoMap;
import org.bytedeco.javacpp.tools.InfoMapper;

/**
 * How JavaCPP maps the C API of native/jdissect_cuda.h to Java. The header is the one source: at build time
 * (generate-sources, native/maven-javacpp.sh) JavaCPP's parser reads it with this configuration and writes
 * {@code org.jdissect.cuda.CudaLib} (target/generated-sources/javacpp), one static method per C function, with the
 * header's comments; so a change to the header changes the Java API, and Java code that no longer matches it does
 * not compile. The parser needs only the header, not nvcc. Every function returns a {@code jd_status} (0 is success)
 * and writes its message into {@code err}; no exception crosses JNI. {@link NativeCuda} turns statuses into
 * exceptions; use that, not CudaLib directly.
 *
 * <p>The JNI library (libjniCudaLib.so) and libjdissect_cuda.so are built by native/maven-native.sh where nvcc exists
 * and are carried in the jar under {@code org/jdissect/cuda/linux-x86_64/}; {@link NativeCuda#loadProblem()} says
 * why not when they are absent.
 */
@Properties(target = "org.jdissect.cuda.CudaLib",
        value = @Platform(value = "linux-x86_64", include = "jdissect_cuda.h", link = "jdissect_cuda"))
public class CudaLibConfig implements InfoMapper {
    @Override
    public void map(InfoMap infoMap) {
        // The export attribute is no part of the Java API.
        infoMap.put(new Info("JD_API").cppTypes().annotations());
        // The opaque context handle: a Java class CudaLib.Context; jd_context* is an output handle.
        infoMap.put(new Info("jd_context_opaque").pointerTypes("Context"));
        infoMap.put(new Info("jd_context").valueTypes("Context").pointerTypes("@ByPtrPtr Context"));
        // jd_status_name's constant string as a Java String.
        infoMap.put(new Info("const char").pointerTypes("String", "@Cast(\"const char*\") BytePointer"));
    }
}
