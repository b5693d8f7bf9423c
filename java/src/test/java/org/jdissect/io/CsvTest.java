package org.jdissect.io;

import org.jdissect.JdissectException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvTest {
    private static final Path FILE = Path.of("/data/label.csv");

    private static List<Csv.Row> parse(String text) {
        return Csv.parse(text.getBytes(StandardCharsets.UTF_8), FILE);
    }

    /** Known answers from Python's repr, NetDissect-Lite's number format in tally.csv. */
    @Test
    void numbersAreWrittenAsPythonsReprWritesThem() {
        double[] values = {2.406777485398881e-05, 1e-05, 1.5e-07, 1e16, 1.2345e20, 0.00015, 0.0001,
            9.999999999999999e-05, 0.5, 0.0, 123.0, 0.06135183943511995, 3.4e-300};
        String[] python = {"2.406777485398881e-05", "1e-05", "1.5e-07", "1e+16", "1.2345e+20", "0.00015", "0.0001",
            "9.999999999999999e-05", "0.5", "0.0", "123.0", "0.06135183943511995", "3.4e-300"};
        for (int i = 0; i < values.length; i++) {
            assertThat(Csv.number(values[i])).as("%s", values[i]).isEqualTo(python[i]);
        }
    }

    @Test
    void splitsPlainFieldsAndKeepsEmptyOnes() {
        List<Csv.Row> rows = parse("a,b,c\ndtd/g.jpg,train,,,314;194\n");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).fields()).containsExactly("dtd/g.jpg", "train", "", "", "314;194");
        assertThat(rows.get(1).line()).isEqualTo(2);
    }

    @Test
    void trailingCommaMeansATrailingEmptyField() {
        assertThat(parse("1,black,color(289),289,79.8,\n").get(0).fields())
                .containsExactly("1", "black", "color(289)", "289", "79.8", "");
    }

    @Test
    void quotedFieldsHoldCommasQuotesAndNewlines() {
        List<Csv.Row> rows = parse("h\n12,\"table, dining\",\"say \"\"hi\"\"\",\"two\nlines\"\n13,x\n");
        assertThat(rows.get(1).fields()).containsExactly("12", "table, dining", "say \"hi\"", "two\nlines");
        assertThat(rows.get(1).line()).isEqualTo(2);
        // the quoted newline moves the next row down one line
        assertThat(rows.get(2).line()).isEqualTo(4);
        assertThat(rows.get(2).fields()).containsExactly("13", "x");
    }

    @Test
    void crlfBomBlankLinesAndMissingFinalNewline() {
        List<Csv.Row> rows = parse("\uFEFFname,first\r\n\r\ncolor,1\r\nobject,12");
        assertThat(rows).extracting(Csv.Row::line).containsExactly(1, 3, 4);
        assertThat(rows.get(0).fields()).containsExactly("name", "first");
        assertThat(rows.get(2).fields()).containsExactly("object", "12");
    }

    @Test
    void unclosedQuoteNamesFileAndLine() {
        assertThatThrownBy(() -> parse("h\nok,1\n2,\"never closed,3\n4,5\n"))
                .isInstanceOf(JdissectException.class)
                .hasMessageContaining("/data/label.csv line 3")
                .hasMessageContaining("never closed");
    }

    @Test
    void formatQuotesOnlyWhatNeedsQuotingAndRoundTrips() {
        List<String> fields = List.of("12", "table, dining", "say \"hi\"", "", "a;b");
        String line = Csv.format(fields);
        assertThat(line).isEqualTo("12,\"table, dining\",\"say \"\"hi\"\"\",,a;b\n");
        assertThat(parse(line).get(0).fields()).isEqualTo(fields);
    }

    /**
     * Numbers written through the fast paths (zeros, plain decimals from 1e-3 to 1e7) are those of the general rule:
     * Java's shortest digits, trailing zeros stripped through BigDecimal, ".0" added to an integer.
     */
    @Test
    void fastPathsWriteWhatTheGeneralRuleWrites() {
        java.util.Random rnd = new java.util.Random(8);
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 1e-3, 9.999999999999998e-4, 1e7, 9999999.999999998,
                100.0, 0.5, -0.25, 1234567.0, 0.0010000000000000002, 12.0, 3.0e-3, 1.0 / 3));
        for (int i = 0; i < 20000; i++) {
            double v = rnd.nextInt(4) == 0 ? rnd.nextInt(100000) / Math.pow(10, rnd.nextInt(9))
                    : rnd.nextDouble() * Math.pow(10, rnd.nextInt(24) - 8);
            values.add(rnd.nextBoolean() ? v : -v);
        }
        for (double v : values) {
            String s = Double.toString(v);
            double abs = Math.abs(v);
            String expected;
            if (abs == 0.0 || (abs >= 1e-4 && abs < 1e16)) {
                expected = new java.math.BigDecimal(s).stripTrailingZeros().toPlainString();
                expected = expected.indexOf('.') < 0 ? expected + ".0" : expected;
            } else {
                expected = Csv.number(v); // the exponent form, which has no fast path
            }
            assertThat(Csv.number(v)).as("%s", s).isEqualTo(expected);
        }
    }
}
