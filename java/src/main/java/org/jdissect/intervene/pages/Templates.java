package org.jdissect.intervene.pages;

import java.util.List;

import gg.jte.Content;
import gg.jte.html.HtmlContent;

import org.jdissect.intervene.GanEdit;
import org.jdissect.intervene.GanEffect;
import org.jdissect.report.Setting;
import org.jdissect.report.UnitCards;

/**
 * The one door to the intervention pages' templates ({@code src/main/jte/intervene}, precompiled by the build into
 * the {@code Jte*Generated} classes of this package; why jte: see {@code org.jdissect.report.Templates}).
 */
final class Templates {
    private Templates() {
    }

    static Content ablations(List<AblationPages.Ablation> ablations) {
        return (HtmlContent) o -> JteablationsGenerated.render(o, null, ablations);
    }

    static Content ablation(AblationPages.Ablation a, UnitCards cards, List<AblationPages.ClassCurves> curves,
                            List<AblationPages.ClassRanking> ranking, AblationPages.UnitsView units,
                            List<Setting> settings) {
        return (HtmlContent) o -> JteablationGenerated.render(o, null, a, cards, curves, ranking, units, settings);
    }

    static Content explanations(List<ExplainPages.Explained> explained) {
        return (HtmlContent) o -> JteexplanationsGenerated.render(o, null, explained);
    }

    static Content explanation(ExplainPages.Explained e, UnitCards cards, ExplainPages.Picture picture, Content chart,
                               List<ExplainPages.UnitRow> firing, List<ExplainPages.UnitRow> decisive,
                               List<Setting> settings) {
        return (HtmlContent) o -> JteexplanationGenerated.render(o, null, e, cards, picture, chart, firing, decisive,
                settings);
    }

    static Content edits(List<GanPages.Experiment<GanEdit.Record>> edits) {
        return (HtmlContent) o -> JteeditsGenerated.render(o, null, edits);
    }

    static Content effects(List<GanPages.Experiment<GanEffect.Record>> effects) {
        return (HtmlContent) o -> JteeffectsGenerated.render(o, null, effects);
    }

    static Content unitLinks(List<GanPages.UnitLink> links) {
        return (HtmlContent) o -> JteunitlinksGenerated.render(o, null, links);
    }

    /** @param size the grid's size on the page, or null; {@code problem} says why there is no grid */
    static Content edit(GanPages.Experiment<GanEdit.Record> e, String title, String grid, int[] size, String problem,
                        List<Setting> settings) {
        return (HtmlContent) o -> JteeditGenerated.render(o, null, e, title, grid, size, problem, settings);
    }

    static Content effect(GanPages.Experiment<GanEffect.Record> e, Content removal, Content insertion,
                          Content insertedUnits, Content randomUnits, List<GanPages.InsertionRow> rows,
                          List<Setting> settings) {
        return (HtmlContent) o -> JteeffectGenerated.render(o, null, e, removal, insertion, insertedUnits, randomUnits,
                rows, settings);
    }
}
