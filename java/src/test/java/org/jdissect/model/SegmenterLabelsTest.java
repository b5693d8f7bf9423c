package org.jdissect.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jdissect.JdissectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmenterLabelsTest {
    @TempDir
    Path tmp;

    @Test
    void plainListWithCategoriesAndUnlabelledClass() throws Exception {
        Path f = Files.write(tmp.resolve("l.txt"), List.of("# classes", "-", "tree", "door,part", "", "sky"));
        SegmenterLabels l = SegmenterLabels.read(f);
        assertThat(l.names()).containsExactly("-", "tree", "door", "sky");
        assertThat(l.categories()).containsExactly("object", "part");
        assertThat(l.labelOf(0)).isZero();
        assertThat(l.labelOf(2)).isEqualTo(3);
        assertThat(l.labelName(3)).isEqualTo("door");
        assertThat(l.primaryCategory()).containsExactly(-1, -1, 0, 1, 0);
    }

    @Test
    void indexedCsv() throws Exception {
        Path f = Files.write(tmp.resolve("l.csv"), List.of("class,name,category", "0,-,", "1,sky,object",
                "2,door,part"));
        SegmenterLabels l = SegmenterLabels.read(f);
        assertThat(l.names()).containsExactly("-", "sky", "door");
        assertThat(l.primaryCategory()).containsExactly(-1, -1, 0, 1);
        assertThat(l.classNamed("door")).isEqualTo(2);
        assertThatThrownBy(() -> l.classNamed("cat")).isInstanceOf(JdissectException.class)
                .hasMessageContaining("sky").hasMessageContaining("door");
    }

    @Test
    void badLinesNameFileAndLine() throws Exception {
        Path f = Files.write(tmp.resolve("bad.csv"), List.of("class,name,category", "0,-,", "5,sky,object"));
        assertThatThrownBy(() -> SegmenterLabels.read(f)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("bad.csv line 3");
        Path g = Files.write(tmp.resolve("bad.txt"), List.of("a,b,c"));
        assertThatThrownBy(() -> SegmenterLabels.read(g)).hasMessageContaining("bad.txt line 1");
    }
}
