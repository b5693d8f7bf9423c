package org.jdissect.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jdissect.JdissectException;

/** Unit numbers and regions as the user writes them. */
final class Units {
    private Units() {
    }

    /** 1-based unit numbers as 0-based indexes; a number below 1 or named twice is a usage error. */
    static int[] zeroBased(List<Integer> units, String option) {
        Set<Integer> seen = new HashSet<>();
        int[] out = new int[units.size()];
        for (int i = 0; i < out.length; i++) {
            int u = units.get(i);
            if (u < 1) {
                throw new JdissectException(option + ": units are numbered from 1, got " + u);
            }
            if (!seen.add(u)) {
                throw new JdissectException(option + ": unit " + u + " is named twice");
            }
            out[i] = u - 1;
        }
        return out;
    }
}

/** --region x0,y0,x1,y1. */
final class Regions {
    private Regions() {
    }

    static int[] parse(String text) {
        String[] p = text.split(",");
        try {
            if (p.length == 4) {
                int[] r = new int[4];
                for (int i = 0; i < 4; i++) {
                    r[i] = Integer.parseInt(p[i].trim());
                }
                if (r[0] >= 0 && r[1] >= 0 && r[2] > r[0] && r[3] > r[1]) {
                    return r;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new JdissectException("--region: '" + text + "' is not x0,y0,x1,y1 with x1 > x0 >= 0, y1 > y0 >= 0");
    }
}
