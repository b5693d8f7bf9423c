package org.jdissect.intervene;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A {@link Rate} as the ablation files hold it: {@code {value, lo, hi, k, n}}, the value null where there were no
 * trials, {@code k} only for a plain proportion (a balanced accuracy is no single count).
 */
public record RateRecord(Double value, double lo, double hi, @JsonInclude(JsonInclude.Include.NON_NULL) Long k,
                         long n) {
    public static RateRecord of(Rate r) {
        return new RateRecord(Double.isNaN(r.value()) ? null : r.value(), r.lo(), r.hi(), r.k() >= 0 ? r.k() : null,
                r.n());
    }

    /** The value, NaN where there is none. */
    public double valueOrNaN() {
        return value == null ? Double.NaN : value;
    }

    /** Whether the two intervals are disjoint, as {@link Rate#differsFrom}. */
    public boolean differsFrom(RateRecord other) {
        return hi < other.lo || other.hi < lo;
    }
}
