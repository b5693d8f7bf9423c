package org.jdissect.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import gg.jte.Content;
import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.output.StringOutput;

import org.junit.jupiter.api.Test;

/** The report's templates escape every value for where it stands, and its numbers are written as the pages need. */
class TemplatesTest {
    static final String EVIL = "<script>alert('x') & \"y\"</script>";

    static String render(Content c) {
        StringOutput out = new StringOutput();
        c.writeTo(new OwaspHtmlTemplateOutput(out));
        return out.toString();
    }

    @Test
    void textAndAttributesAreEscapedForTheirPlace() {
        String page = Templates.page(EVIL, List.of(new NavLink("layer-a.html", EVIL, EVIL),
                new NavLink("javascript:alert(1)", "b", "b")), "layer-a.html", Setting.list(List.of(
                Setting.of(EVIL, EVIL))), "/out/" + EVIL);
        assertThat(page.split("<script", -1)).hasSize(2); // the report's own script tag only
        assertThat(page).contains("<script src=\"report.js\" defer></script>")
                .contains("<title>&lt;script&gt;alert('x') &amp; \"y\"&lt;/script&gt; &#8212; jdissect</title>")
                .contains("<a href=\"layer-a.html\" aria-current=\"page\" title=\"&lt;script>alert(&#39;x&#39;) &amp; "
                        + "&#34;y&#34;&lt;/script>\">&lt;script&gt;")
                .contains("<dt>&lt;script&gt;alert('x') &amp; \"y\"&lt;/script&gt;</dt>")
                // a script URL from data is not linked
                .doesNotContain("javascript:");
    }

    @Test
    void chartsEscapeTheirNames() {
        String svg = render(Charts.groupedBars(EVIL, EVIL, List.of(new Charts.BarGroup("#123456",
                List.of(new Charts.Bar(EVIL, 3, EVIL)))), "none"));
        assertThat(svg).startsWith("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ")
                .doesNotContain("<script").contains("&lt;script&gt;");
        String rows = render(Charts.stackedShares(EVIL, EVIL, List.of(new Charts.Row(EVIL, "layer-x.html", 1, 4,
                List.of(new Charts.Segment(1, "#123456", EVIL)))), "none"));
        assertThat(rows).doesNotContain("<script").contains("<a href=\"layer-x.html\">").contains(">1/4</text>");
        assertThat(render(Charts.groupedBars("t", "units", List.of(), "No unit reaches the cut-off.")))
                .isEqualTo("<p class=\"empty\">No unit reaches the cut-off.</p>");
    }

    @Test
    void numbersAreWrittenByHand() {
        assertThat(Format.fixed(0.0396, 3)).isEqualTo("0.040");
        assertThat(Format.fixed(-1.5, 0)).isEqualTo("-2");
        assertThat(Format.fixed(-0.0001, 2)).isEqualTo("0.00");
        assertThat(Format.sig(0.012346)).isEqualTo("0.01235");
        assertThat(Format.sig(1234.5)).isEqualTo("1235");
        assertThat(Format.integerOrDecimal(16)).isEqualTo("16");
        assertThat(Format.shorten("abcdef", 4)).isEqualTo("abc\u2026");
    }
}
