package org.jdissect.io;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a result came from, written into every JSON output of every command, so that any file can be traced back to
 * exactly what made it: the tool and its build, when and how it was run, every model by its bytes (and its external
 * weights), the dataset by its fingerprint, how images were prepared for each model, the seeds, where the statistics
 * and the models ran, and the versions of what ran them. Fields that do not apply to a command (no dataset for a
 * generator, no CUDA on a CPU run) are left out of the file.
 *
 * @param tool      "jdissect"
 * @param version   the tool's version, e.g. 0.1.0-SNAPSHOT
 * @param commit    the git commit the tool was built from, with "-dirty" when its work tree had changes; "unknown"
 *                  when built outside a clone
 * @param created   when the output was written (ISO-8601, UTC)
 * @param command   the command line: the jdissect arguments for the CLI, the Java command line for a library user
 * @param models    the models involved, by role
 * @param dataset   the dataset the images came from, if any
 * @param seeds     named seeds (latent sampling, attacks), if any
 * @param backend   where the statistics ran, e.g. "cpu (2 threads)"
 * @param inference where the models ran, e.g. "cpu"
 * @param versions  the software that ran it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(String tool, String version, String commit, String created, List<String> command,
                         List<Model> models, Dataset dataset, Map<String, Long> seeds, String backend,
                         String inference, Versions versions) {

    /**
     * A model, identified by its bytes.
     *
     * @param role          what it does in this run: model, generator, segmenter
     * @param path          as given
     * @param sha256        of the .onnx file's bytes
     * @param externalData  the external weight files it reads, each by its bytes
     * @param preprocessing how images were prepared for it (size, channel order, scale, mean, std, resizing); none
     *                      for a generator
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Model(String role, String path, String sha256, List<DataFile> externalData,
                        Map<String, Object> preprocessing) {
    }

    /** A file a model or dataset depends on: path as found, sha256 and size of its bytes. */
    public record DataFile(String path, String sha256, long bytes) {
    }

    /**
     * A dataset.
     *
     * @param kind        broden, image-folder, ...
     * @param path        as given
     * @param fingerprint what identifies its contents (the kind's own definition, e.g. a hash of Broden's CSV files)
     */
    public record Dataset(String kind, String path, String fingerprint) {
    }

    /**
     * @param java        vendor and version of the Java runtime
     * @param os          operating system and architecture
     * @param onnxruntime the ONNX Runtime version, when a model ran
     * @param cuda        the CUDA runtime and device, when the statistics ran on a GPU
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Versions(String java, String os, String onnxruntime, String cuda) {
    }
}
