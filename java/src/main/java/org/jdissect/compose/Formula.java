package org.jdissect.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A formula of concepts as compositional explanations build them (Mu and Andreas, 2020): a concept, then each step
 * {@code F AND C}, {@code F OR C} or {@code F AND NOT C} with a concept {@code C}, so a formula is its first concept and
 * a list of terms, read left to right: {@code ((water OR sky) AND NOT boat)}.
 *
 * @param first the first concept's label number
 * @param terms each later step's operator and concept
 */
public record Formula(int first, List<Term> terms) implements Comparable<Formula> {
    public enum Op {
        AND("AND"), OR("OR"), AND_NOT("AND NOT");

        private final String text;

        Op(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One step: the operator and the concept's label number. */
    public record Term(Op op, int label) {
    }

    public Formula {
        terms = List.copyOf(terms);
    }

    public static Formula of(int label) {
        return new Formula(label, List.of());
    }

    /** Concepts in the formula. */
    public int length() {
        return 1 + terms.size();
    }

    /** Whether {@code label} is one of its concepts. */
    public boolean uses(int label) {
        return first == label || terms.stream().anyMatch(t -> t.label() == label);
    }

    /**
     * This formula extended by {@code op} and {@code label}. A length-2 formula with a symmetric operator is written
     * with the lower label first, so {@code b OR a} and {@code a OR b} are one candidate.
     */
    public Formula then(Op op, int label) {
        if (terms.isEmpty() && op != Op.AND_NOT && label < first) {
            return new Formula(label, List.of(new Term(op, first)));
        }
        List<Term> t = new ArrayList<>(terms);
        t.add(new Term(op, label));
        return new Formula(first, t);
    }

    /** {@code ((a OR b) AND NOT c)}, a concept alone without parentheses. */
    public String text(IntFunction<String> names) {
        String s = names.apply(first);
        for (Term t : terms) {
            s = "(" + s + " " + t.op().text() + " " + names.apply(t.label()) + ")";
        }
        return s;
    }

    /**
     * The order that breaks ties of IoU: the shorter formula first, then by label numbers and operators, term by
     * term (AND before OR before AND NOT), so that a search gives the same answer on every run and machine.
     */
    @Override
    public int compareTo(Formula o) {
        int c = Integer.compare(length(), o.length());
        if (c != 0) {
            return c;
        }
        c = Integer.compare(first, o.first);
        for (int i = 0; c == 0 && i < terms.size(); i++) {
            c = Integer.compare(terms.get(i).label(), o.terms.get(i).label());
            if (c == 0) {
                c = terms.get(i).op().compareTo(o.terms.get(i).op());
            }
        }
        return c;
    }
}
