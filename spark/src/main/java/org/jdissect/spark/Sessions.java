package org.jdissect.spark;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.jdissect.dissect.ProbeSession;

/**
 * The opened probes of this JVM (an executor, or the driver in local mode). Opening one loads the ONNX model into an
 * ONNX Runtime session and reads the dataset's CSV files, which would dominate a short task, so tasks borrow one and
 * give it back: an executor keeps one per task it runs at a time, reused by every later task of the job.
 *
 * <p>This and {@link HadoopData}'s copies are the project's mutable statics, and they have to be: they are what
 * outlives a task in an executor, which Spark offers no other handle for.
 */
final class Sessions {
    private static final Map<JobSpec, Deque<ProbeSession>> IDLE = new ConcurrentHashMap<>();

    private Sessions() {
    }

    /** An idle session of this spec, or a newly opened one; give it back with {@link #giveBack}. */
    static ProbeSession borrow(JobSpec spec) {
        ProbeSession s = IDLE.computeIfAbsent(spec, k -> new ConcurrentLinkedDeque<>()).pollFirst();
        return s != null ? s : ProbeSession.open(spec.probe(), spec.options(), spec.inferenceMode());
    }

    static void giveBack(JobSpec spec, ProbeSession session) {
        IDLE.computeIfAbsent(spec, k -> new ConcurrentLinkedDeque<>()).offerFirst(session);
    }

    /** Closes this JVM's idle sessions of {@code spec} (the driver's, at the end of a local run). */
    static void close(JobSpec spec) {
        Deque<ProbeSession> idle = IDLE.remove(spec);
        if (idle != null) {
            idle.forEach(ProbeSession::close);
        }
    }
}
