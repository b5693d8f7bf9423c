package org.jdissect.model;

import java.util.List;

/** Runs a model once per batch and returns the requested layers' activations. Not thread-safe. */
public interface LayerRunner extends AutoCloseable {

    /** Shapes of the requested layers, in request order. */
    List<LayerInfo> layers();

    /**
     * {@code batch} holds {@code n} images of {@code pre.valuesPerImage()} floats each (NCHW). Returns, per
     * requested layer in request order, a float[] of {@code n * C * H * W}.
     */
    List<float[]> run(float[] batch, int n);

    /**
     * As {@link #run(float[], int)} for the images of a batch each in its own array (at least
     * {@code pre.valuesPerImage()} floats, the first of them used), as the decoding threads prepare them, read where
     * they are, without a batch array in between.
     */
    List<float[]> run(List<float[]> images);

    @Override
    void close();
}
