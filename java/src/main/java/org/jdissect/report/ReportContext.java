package org.jdissect.report;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * What a layer's files need besides the results: category and label names, how to name image {@code i} of the
 * activation cache (a dataset path, or a generated sample), and the settings to record.
 *
 * @param categories   category names, by index
 * @param labelName    the name of a label number
 * @param imageName    the name of cached image {@code i}
 * @param imageLine    where cached image {@code i} comes from (index.csv line, or sample number)
 * @param settings     recorded as report.json's "settings"
 * @param iouThreshold the interpretable cut-off
 */
public record ReportContext(List<String> categories, IntFunction<String> labelName, IntFunction<String> imageName,
                            IntUnaryOperator imageLine, Map<String, Object> settings, double iouThreshold) {
}
