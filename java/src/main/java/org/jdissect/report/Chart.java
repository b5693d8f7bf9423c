package org.jdissect.report;

import gg.jte.Content;
import gg.jte.html.HtmlContent;
import gg.jte.html.HtmlTemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.output.StringOutput;

/**
 * A chart from {@link Charts}: inline SVG where the pages embed it, or the line saying why there is nothing to draw.
 * {@link Site#figure} also writes a drawn chart as a standalone figure ({@link #standaloneSvg}, and a PNG of it).
 */
public final class Chart implements HtmlContent {
    private final HtmlContent markup;
    private final boolean drawn;

    Chart(Content markup, boolean drawn) {
        this.markup = (HtmlContent) markup;
        this.drawn = drawn;
    }

    /** Whether there is a chart (not only the line saying why there is none). */
    public boolean drawn() {
        return drawn;
    }

    @Override
    public void writeTo(HtmlTemplateOutput output) {
        markup.writeTo(output);
    }

    /**
     * The chart as an SVG file of its own: an XML declaration, the SVG namespace, a white background (as on the
     * page), and links to the report's pages made relative to {@code report/figures/}. The markup is the page's,
     * escaped by the same templates, so every value stays text.
     */
    public String standaloneSvg() {
        if (!drawn) {
            throw new IllegalStateException("an empty chart has no figure");
        }
        StringOutput out = new StringOutput(1 << 14);
        markup.writeTo(new OwaspHtmlTemplateOutput(out));
        String svg = out.toString().strip();
        if (!svg.startsWith("<svg ")) {
            throw new IllegalStateException("a chart's markup starts with <svg");
        }
        int open = svg.indexOf('>') + 1;
        int title = svg.indexOf("</title>", open);
        int background = title < 0 ? open : title + "</title>".length();
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + svg.substring(5, background) + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
                + svg.substring(background).replace("<a href=\"", "<a href=\"../") + "\n";
    }
}
