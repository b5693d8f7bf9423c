package org.jdissect.dissect;

import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * How a layer's files name things: categories, label numbers, and the image at each cache position (its name, and
 * where it comes from: an index.csv line, a file number or a sample number).
 */
record Naming(List<String> categories, IntFunction<String> labelName, IntFunction<String> imageName,
              IntUnaryOperator imageLine) {
}
