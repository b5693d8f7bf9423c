package org.jdissect.cuda;

import org.bytedeco.javacpp.SizeTPointer;
import org.jdissect.JdissectException;

/**
 * What the native library sees of a CUDA device: name, compute capability, multiprocessors, memory.
 *
 * @param device           the device index
 * @param name             e.g. "NVIDIA H100 80GB HBM3"
 * @param computeMajor     compute capability, major
 * @param computeMinor     compute capability, minor
 * @param multiprocessors  streaming multiprocessors
 * @param freeBytes        free memory when probed
 * @param totalBytes       total memory
 * @param cudaRuntime      the CUDA runtime version the library was built with, e.g. 13000
 */
public record GpuInfo(int device, String name, int computeMajor, int computeMinor, int multiprocessors,
                      long freeBytes, long totalBytes, int cudaRuntime) {

    /** Probes device {@code device}; a JdissectException says why when there is no library, driver or device. */
    public static GpuInfo probe(int device) {
        String problem = NativeCuda.loadProblem();
        if (problem != null) {
            throw new JdissectException(problem);
        }
        byte[] err = NativeCuda.errBuffer();
        int[] count = new int[1];
        NativeCuda.check(CudaLib.jd_device_count(count, err, err.length), err);
        if (device < 0 || device >= count[0]) {
            throw new JdissectException("no CUDA device " + device + " (valid: 0 to " + (count[0] - 1) + ")");
        }
        byte[] name = new byte[256];
        int[] major = new int[1];
        int[] minor = new int[1];
        int[] sms = new int[1];
        long free;
        long total;
        try (SizeTPointer freeBytes = new SizeTPointer(1); SizeTPointer totalBytes = new SizeTPointer(1)) {
            NativeCuda.check(CudaLib.jd_device_info(device, name, name.length, freeBytes, totalBytes, major, minor,
                    sms, err, err.length), err);
            free = freeBytes.get();
            total = totalBytes.get();
        }
        int[] api = new int[1];
        int[] runtime = new int[1];
        NativeCuda.check(CudaLib.jd_version(api, runtime, err, err.length), err);
        return new GpuInfo(device, NativeCuda.message(name), major[0], minor[0], sms[0], free, total, runtime[0]);
    }

    /** e.g. "NVIDIA H100 80GB HBM3, sm_90, 132 SMs, 79 GiB". */
    public String describe() {
        return String.format("%s, sm_%d%d, %d SMs, %.0f GiB", name, computeMajor, computeMinor, multiprocessors,
                totalBytes / (1024.0 * 1024 * 1024));
    }
}
