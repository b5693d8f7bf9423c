package org.jdissect.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every kind of chart as a standalone figure: well-formed SVG in the SVG namespace with every name still text, and
 * its PNG drawn from that SVG where the SVG says (each bar and point in its colour, at twice the size).
 */
class FiguresTest {
    static final String EVIL = "<script>alert('x') & \"y\"</script>";

    static List<Chart> everyKind() {
        double[] x = {1, 2, 4, 8};
        double[] y = {0.9, 0.7, 0.4, 0.1};
        double[] lo = {0.85, 0.6, 0.3, 0.05};
        double[] hi = {0.95, 0.8, 0.5, 0.2};
        return List.of(
                Charts.groupedBars(EVIL, "units", List.of(new Charts.BarGroup("#d1495b", List.of(
                        new Charts.Bar(EVIL, 3, EVIL), new Charts.Bar("b", 1, "b"))),
                        new Charts.BarGroup("#2e86ab", List.of(new Charts.Bar("c", 2, "c")))), "none"),
                Charts.stackedShares(EVIL, EVIL, List.of(new Charts.Row(EVIL, "layer-x.html", 3, 8,
                        List.of(new Charts.Segment(2, "#3f9c4a", EVIL), new Charts.Segment(1, "#8e5ea2", "p")))),
                        "none"),
                Charts.logCurve(EVIL, EVIL, EVIL, List.of(new Charts.Series(EVIL, "#d1495b", x, y, lo, hi,
                        new boolean[] {true, false, true, true}, new String[] {EVIL, "a", "b", "c"})),
                        List.of(new Charts.Reference("chance", 0.5, "1 3")), 0, 1, true),
                Charts.shareBars(EVIL, EVIL, List.of(new Charts.Share(EVIL, 0.75, EVIL, "#3f9c4a", "(4 trials)"),
                        new Charts.Share("sky", 0.25, "sky", "#e08e0b", "(8 trials)"))));
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyChartIsAStandaloneSvgWithItsNamesAsText() throws Exception {
        for (Chart chart : everyKind()) {
            assertThat(chart.drawn()).isTrue();
            String svg = chart.standaloneSvg();
            assertThat(svg).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" ");
            Document doc = parse(svg);
            assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
            assertThat(doc.getElementsByTagName("script").getLength()).isZero();
            assertThat(doc.getDocumentElement().getElementsByTagName("title").item(0).getTextContent()).isEqualTo(EVIL);
            // links to the report's pages, from report/figures/
            NodeList links = doc.getElementsByTagName("a");
            for (int i = 0; i < links.getLength(); i++) {
                assertThat(((Element) links.item(i)).getAttribute("href")).isEqualTo("../layer-x.html");
            }
        }
        assertThat(Charts.groupedBars("t", "u", List.of(), "nothing").drawn()).isFalse();
    }

    @Test
    void thePngIsTheSvgsPictureAtTwiceItsSize() throws Exception {
        for (Chart chart : everyKind()) {
            String svg = chart.standaloneSvg();
            Document doc = parse(svg);
            Element root = doc.getDocumentElement();
            BufferedImage png = SvgRaster.render(svg, 2);
            assertThat(png.getWidth()).isEqualTo(2 * Integer.parseInt(root.getAttribute("width")));
            assertThat(png.getHeight()).isEqualTo(2 * Integer.parseInt(root.getAttribute("height")));
            List<String> checked = new ArrayList<>();
            // every coloured bar or segment: a point in its upper left quarter (away from the value written in it)
            NodeList rects = doc.getElementsByTagName("rect");
            for (int i = 0; i < rects.getLength(); i++) {
                Element r = (Element) rects.item(i);
                if (r.getAttribute("width").endsWith("%")) {
                    assertThat(png.getRGB(1, 1) & 0xffffff).as("white background").isEqualTo(0xffffff);
                    continue;
                }
                double cx = Double.parseDouble(r.getAttribute("x")) + Double.parseDouble(r.getAttribute("width")) / 4;
                double cy = Double.parseDouble(r.getAttribute("y")) + Double.parseDouble(r.getAttribute("height")) / 4;
                assertThat(png.getRGB((int) (2 * cx), (int) (2 * cy)) & 0xffffff).as("rect " + i)
                        .isEqualTo(Integer.parseInt(r.getAttribute("fill").substring(1), 16));
                checked.add("rect");
            }
            // every point: filled in the series' colour, or white with a rim of it
            NodeList circles = doc.getElementsByTagName("circle");
            for (int i = 0; i < circles.getLength(); i++) {
                Element c = (Element) circles.item(i);
                int x = (int) Math.round(2 * Double.parseDouble(c.getAttribute("cx")));
                int y = (int) Math.round(2 * Double.parseDouble(c.getAttribute("cy")));
                String fill = c.getAttribute("fill");
                int expected = fill.equals("#fff") ? 0xffffff : Integer.parseInt(fill.substring(1), 16);
                assertThat(png.getRGB(x, y) & 0xffffff).as("point " + i).isEqualTo(expected);
                checked.add("circle");
            }
            // some text is drawn: dark pixels left of the plot, where the labels are
            int dark = 0;
            for (int yy = 0; yy < png.getHeight(); yy++) {
                for (int xx = 0; xx < 60; xx++) {
                    dark += (png.getRGB(xx, yy) & 0xff) < 160 ? 1 : 0;
                }
            }
            assertThat(dark).as("text pixels").isPositive();
            assertThat(checked).isNotEmpty();
        }
    }

    @Test
    void anSvgOutsideTheChartsSubsetIsRefused() {
        assertThatThrownBy(() -> SvgRaster.render("<svg width=\"10\" height=\"10\"><image href=\"x.png\"/></svg>", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("<image>");
        assertThatThrownBy(() -> SvgRaster.render("<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<svg width=\"10\" height=\"10\"><text>&x;</text></svg>", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SvgRaster.render("<svg width=\"10\" height=\"10\"><rect width=\"5\" height=\"5\" "
                + "fill=\"url(#g)\"/></svg>", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
