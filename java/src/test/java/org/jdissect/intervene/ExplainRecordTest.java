package org.jdissect.intervene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jdissect.JdissectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explain.json as a record: files of the map that wrote it before read, and what is not one is refused. */
class ExplainRecordTest {
    /**
     * An explain.json as the map-based writer left it: its nested objects came from {@code Map.of}, so their keys
     * are in no particular order.
     */
    static final String WRITTEN_BEFORE = """
            {
              "tool" : "jdissect",
              "kind" : "explain",
              "format" : 1,
              "provenance" : { "tool" : "jdissect", "version" : "0.1", "command" : [ "jdissect", "explain" ],
                "models" : [ { "role" : "model", "path" : "m.onnx", "sha256" : "ab" } ] },
              "image" : "data/red/00.png",
              "layer" : "units",
              "predicted" : { "probability" : 0.43, "class" : "red", "output" : 0 },
              "firing_units" : [ { "unit" : 1, "label" : "red", "category" : "color", "iou" : 0.147,
                "interpretable" : true, "fires" : true, "max_activation" : 0.9292, "threshold" : 0.8823,
                "probability_after_ablation" : 0.244, "drop" : 0.186,
                "predicted_after_ablation" : { "class" : "output 3", "output" : 3 }, "changes_prediction" : true } ],
              "decisive_units" : [ ],
              "all_firing_ablated" : { "probability_of_predicted" : 0.244, "output" : 3, "class" : "output 3" }
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void aFileOfTheMapBasedWriterReads() throws Exception {
        Files.writeString(tmp.resolve(ExplainRecord.FILE), WRITTEN_BEFORE);
        ExplainRecord r = ExplainRecord.read(tmp);
        assertThat(r.layer()).isEqualTo("units");
        assertThat(r.image()).isEqualTo("data/red/00.png");
        assertThat(r.predicted()).isEqualTo(new ExplainRecord.Prediction(0, "red", 0.43));
        assertThat(r.firingUnits()).containsExactly(new ExplainRecord.Unit(1, "red", "color", 0.147, true, true,
                0.9292f, 0.8823, 0.244, 0.186, new ExplainRecord.Predicted(3, "output 3"), true));
        assertThat(r.decisiveUnits()).isEmpty();
        assertThat(r.allFiringAblated()).isEqualTo(new ExplainRecord.AllAblated(3, "output 3", 0.244));
        assertThat(r.provenance().models().get(0).path()).isEqualTo("m.onnx");
    }

    @Test
    void writtenAndReadBackItIsTheSameRecordWithTheSameNames() throws Exception {
        Files.writeString(tmp.resolve(ExplainRecord.FILE), WRITTEN_BEFORE);
        ExplainRecord r = ExplainRecord.read(tmp);
        Path again = Files.createDirectories(tmp.resolve("again"));
        r.write(again);
        assertThat(ExplainRecord.read(again)).isEqualTo(r);
        String text = Files.readString(again.resolve(ExplainRecord.FILE));
        for (String name : List.of("\"firing_units\"", "\"decisive_units\"", "\"all_firing_ablated\"",
                "\"probability_of_predicted\"", "\"probability_after_ablation\"", "\"predicted_after_ablation\"",
                "\"changes_prediction\"", "\"max_activation\"", "\"class\" : \"red\"")) {
            assertThat(text).contains(name);
        }
        assertThat(Files.readAllLines(again.resolve("explain.csv"))).containsExactly(
                "unit,label,category,iou,fires,decisive_rank,max_activation,threshold,probability_after_ablation,drop,"
                        + "predicted_after_ablation,changes_prediction",
                "1,red,color,0.147000,true,,0.9292,0.8823,0.244000,0.186000,output 3,true");
    }

    @Test
    void anotherToolsOrKindsFileOrOneWithoutItsPartsIsRefusedInOneLine() throws Exception {
        for (String text : List.of(WRITTEN_BEFORE.replace("\"tool\" : \"jdissect\",\n  \"kind\"", "\"tool\" : \"x\",\n  \"kind\""),
                WRITTEN_BEFORE.replace("\"kind\" : \"explain\"", "\"kind\" : \"ablate-units\""),
                "{ \"tool\" : \"jdissect\", \"kind\" : \"explain\", \"format\" : 1 }")) {
            assertThat(text).isNotEqualTo(WRITTEN_BEFORE);
            Files.writeString(tmp.resolve(ExplainRecord.FILE), text);
            assertThatThrownBy(() -> ExplainRecord.read(tmp)).isInstanceOf(JdissectException.class)
                    .hasMessageContaining(tmp.resolve(ExplainRecord.FILE) + " is not a jdissect explain file")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        Files.writeString(tmp.resolve(ExplainRecord.FILE), WRITTEN_BEFORE.substring(0, 300));
        assertThatThrownBy(() -> ExplainRecord.read(tmp)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("cannot read " + tmp.resolve(ExplainRecord.FILE))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
