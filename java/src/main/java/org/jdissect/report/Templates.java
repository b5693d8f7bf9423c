package org.jdissect.report;

import java.util.List;

import gg.jte.Content;
import gg.jte.html.HtmlContent;
import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.output.StringOutput;

/**
 * The one door to this package's templates ({@code src/main/jte/report}), which the build precompiles into the
 * {@code Jte*Generated} classes beside this one. Why jte: its templates become plain Java at build time, so a page
 * costs method calls, with no reflection, no template parsing and no expression language at run time (a report
 * writes pages of thousands of units; the measurement is in the README, under Report); every {@code ${...}} is
 * escaped for where it stands (element text, attribute value), so a label named {@code <script>} is text unless a
 * template says otherwise, which none does; and a template's parameters are typed and checked by the compiler, like
 * any Java call. Other packages with pages have their own template root and door, and meet this one through
 * {@link Content}: a page's body, a chart, a section.
 */
final class Templates {
    private Templates() {
    }

    /** A whole page, as text to be written as UTF-8. */
    static String page(String title, List<NavLink> nav, String current, Content body, String out) {
        StringOutput text = new StringOutput(1 << 16);
        JtepageGenerated.render(new OwaspHtmlTemplateOutput(text), null, title, nav, current, body, out);
        return text.toString();
    }

    static Content section(ReportSection s) {
        return (HtmlContent) o -> JtesectionGenerated.render(o, null, s);
    }

    static Content sections(List<ReportSection> sections) {
        return (HtmlContent) o -> JtesectionsGenerated.render(o, null, sections);
    }

    static Content settings(List<Setting> settings) {
        return (HtmlContent) o -> JtesettingsGenerated.render(o, null, settings);
    }

    static Content figure(Content chart, String svg, String png) {
        return (HtmlContent) o -> JtefigureGenerated.render(o, null, chart, svg, png);
    }

    static Content empty(String text) {
        return (HtmlContent) o -> JteemptyGenerated.render(o, null, text);
    }

    static Content legend(List<Charts.Key> keys) {
        return (HtmlContent) o -> JtelegendGenerated.render(o, null, keys);
    }

    static Content bars(Charts.BarsView chart) {
        return (HtmlContent) o -> JtebarsGenerated.render(o, null, chart);
    }

    static Content rows(Charts.RowsView chart) {
        return (HtmlContent) o -> JterowsGenerated.render(o, null, chart);
    }

    static Content curve(Charts.CurveView chart) {
        return (HtmlContent) o -> JtecurveGenerated.render(o, null, chart);
    }

    static Content shares(Charts.SharesView chart) {
        return (HtmlContent) o -> JtesharesGenerated.render(o, null, chart);
    }
}
