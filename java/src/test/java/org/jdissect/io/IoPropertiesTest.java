package org.jdissect.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Properties of the ground floor's formats, over random input (jqwik shrinks a failure to its smallest case). */
class IoPropertiesTest {
    private static final Path FILE = Path.of("/x.csv");

    @Provide
    Arbitrary<String> fields() {
        // commas, quotes, line breaks and non-ASCII are the cases a CSV dialect gets wrong
        return Arbitraries.strings().withChars("ab ,\"\n\r\u00e9\u4e2d;").ofMaxLength(8);
    }

    /** Whatever a row holds, reading back what was written gives the row (a row of one empty field aside). */
    @Property(tries = 500)
    void csvRowsRoundTrip(@ForAll @Size(min = 1, max = 5) List<@net.jqwik.api.From("fields") String> row) {
        StringWriter w = new StringWriter();
        try {
            Csv.writeRow(w, row);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        String text = w.toString();
        assertThat(text).isEqualTo(Csv.format(row));
        List<Csv.Row> read = Csv.parse(text.getBytes(StandardCharsets.UTF_8), FILE);
        boolean blank = row.size() == 1 && row.get(0).replace("\r", "").isEmpty();
        if (blank) {
            return; // an empty line is no row, as in Python's csv module
        }
        assertThat(read).hasSize(1);
        // a lone CR outside quotes is dropped on reading; inside quotes it is kept
        assertThat(read.get(0).fields()).isEqualTo(row);
    }

    /** File-safe names are safe, and distinct even on a file system that ignores case. */
    @Property(tries = 300)
    void fileSafeNamesAreSafeAndDistinct(@ForAll @Size(max = 12) List<String> layers) {
        List<String> names = FileNames.fileSafe(layers);
        assertThat(names).hasSameSizeAs(layers);
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            assertThat(n).matches("[A-Za-z0-9][A-Za-z0-9._-]*").doesNotContain("..");
            assertThat(seen.add(n.toLowerCase(Locale.ROOT))).as("distinct: %s in %s", n, names).isTrue();
        }
    }

    /** The length prefix makes the hash of several parts depend on where one part ends and the next begins. */
    @Property(tries = 200)
    void partsHashDependsOnTheirBoundaries(@ForAll @Size(min = 2, max = 6) byte[] bytes) {
        byte[] a = java.util.Arrays.copyOf(bytes, 1);
        byte[] b = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        byte[] c = java.util.Arrays.copyOf(bytes, 2);
        byte[] d = java.util.Arrays.copyOfRange(bytes, 2, bytes.length);
        assertThat(Hashing.sha256Of(a, b)).isNotEqualTo(Hashing.sha256Of(c, d));
        assertThat(Hashing.sha256Of(a, b)).isEqualTo(Hashing.sha256Of(a.clone(), b.clone()));
    }
}
