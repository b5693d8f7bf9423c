package org.jdissect.cuda;

import org.jdissect.JdissectException;
import org.jdissect.stats.Backend;
import org.jdissect.stats.CpuBackend;

/**
 * Backend choice for {@code --device auto|cpu|cuda}. {@code auto} uses the first CUDA device when the library,
 * a driver and a device are there, and otherwise the CPU backend, saying why in one line; {@code cuda} without a
 * usable GPU is an error that says why; {@code cpu} is the CPU backend.
 */
public final class Devices {
    private static final System.Logger LOG = System.getLogger(Devices.class.getName());
    /** The accepted values of --device. */
    public static final String CHOICES = "auto, cpu or cuda";

    private Devices() {
    }

    /**
     * Opens the backend for {@code device} with {@code threads} host threads; a fall-back to the CPU is said in one
     * short line (INFO), the reason in detail at DEBUG.
     */
    public static Backend open(String device, int threads) {
        String d = device == null ? "auto" : device.trim().toLowerCase(java.util.Locale.ROOT);
        switch (d) {
            case "cpu":
                return new CpuBackend(threads);
            case "cuda":
                try {
                    return CudaBackend.open(0, threads);
                } catch (JdissectException e) {
                    throw new JdissectException("--device cuda: no usable GPU: " + e.getMessage()
                            + " (use --device auto or cpu to run on the CPU)", e);
                }
            case "auto":
                try {
                    return CudaBackend.open(0, threads);
                } catch (JdissectException e) {
                    LOG.log(System.Logger.Level.INFO, "statistics on the CPU (" + threads + " threads): no usable GPU"
                            + " (-v says why)");
                    LOG.log(System.Logger.Level.DEBUG, "no usable GPU: " + e.getMessage());
                    return new CpuBackend(threads);
                }
            default:
                throw new JdissectException("--device must be " + CHOICES + ", got '" + device + "'");
        }
    }

    /** Null when a CUDA backend can be opened on device 0, else why not (library, driver or device missing). */
    public static String cudaProblem() {
        try {
            GpuInfo.probe(0);
            return null;
        } catch (JdissectException e) {
            return e.getMessage();
        }
    }
}
