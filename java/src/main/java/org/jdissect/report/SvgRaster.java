package org.jdissect.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Rasterises the report's own charts ({@link Chart#standaloneSvg}) with Java2D, for the PNG figures.
 *
 * <p>Why not a library: an SVG renderer on Maven Central (Apache Batik, a dozen modules; JSVG) would be a new
 * dependency for what is a closed, small subset of SVG that this package itself writes: {@code svg, g, a, title,
 * line, rect, text, polyline, polygon, circle}, hex colours, {@code translate}/{@code rotate} transforms, dashes.
 * Reading the same SVG file that is written, rather than drawing the charts a second time, keeps the PNG the SVG's
 * picture by construction. Anything outside the subset is an error, so a new chart element cannot be dropped
 * silently (a test renders every chart kind).
 */
public final class SvgRaster {
    private static final Pattern TRANSFORM = Pattern.compile("(translate|rotate)\\(([^)]*)\\)");
    private static final Pattern NUMBERS = Pattern.compile("[\\s,]+");

    private SvgRaster() {
    }

    /** The picture of {@code svg} at {@code scale} times its size, on white. */
    public static BufferedImage render(String svg, double scale) {
        Element root;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            root = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("not a well-formed SVG figure: " + e.getMessage(), e);
        }
        if (!root.getTagName().equals("svg")) {
            throw new IllegalArgumentException("not an SVG figure: <" + root.getTagName() + ">");
        }
        int width = (int) Math.ceil(number(root, "width", 0) * scale);
        int height = (int) Math.ceil(number(root, "height", 0) * scale);
        if (width < 1 || height < 1 || (long) width * height > 64L << 20) {
            throw new IllegalArgumentException("an SVG figure of " + width + " x " + height + " pixels");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.scale(scale, scale);
            children(g, root, number(root, "font-size", 12));
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void children(Graphics2D g, Element parent, double fontSize) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                draw(g, e, fontSize);
            }
        }
    }

    private static void draw(Graphics2D g, Element e, double fontSize) {
        double size = number(e, "font-size", fontSize);
        switch (e.getTagName()) {
            case "title" -> {
                // a tooltip: nothing to draw
            }
            case "g", "a" -> children(g, e, size);
            case "line" -> stroke(g, e, new Line2D.Double(number(e, "x1", 0), number(e, "y1", 0), number(e, "x2", 0),
                    number(e, "y2", 0)));
            case "rect" -> {
                double w = length(e, "width");
                double h = length(e, "height");
                double rx = number(e, "rx", 0);
                Shape r = rx > 0 ? new RoundRectangle2D.Double(number(e, "x", 0), number(e, "y", 0), w, h, 2 * rx,
                        2 * rx) : new Rectangle2D.Double(number(e, "x", 0), number(e, "y", 0), w, h);
                fill(g, e, r, Color.BLACK);
                stroke(g, e, r);
            }
            case "circle" -> {
                double r = number(e, "r", 0);
                Shape c = new Ellipse2D.Double(number(e, "cx", 0) - r, number(e, "cy", 0) - r, 2 * r, 2 * r);
                fill(g, e, c, Color.BLACK);
                stroke(g, e, c);
            }
            case "polyline", "polygon" -> {
                Path2D.Double p = points(e.getAttribute("points"), e.getTagName().equals("polygon"));
                fill(g, e, p, e.getTagName().equals("polygon") ? Color.BLACK : null);
                stroke(g, e, p);
            }
            case "text" -> text(g, e, size);
            default -> throw new IllegalArgumentException("an SVG figure with <" + e.getTagName() + ">, which the "
                    + "report's charts do not draw");
        }
    }

    private static void text(Graphics2D g, Element e, double size) {
        StringBuilder s = new StringBuilder();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.TEXT_NODE) {
                s.append(n.getNodeValue());
            }
        }
        String text = s.toString().strip();
        Color colour = colour(e.getAttribute("fill"), Color.BLACK);
        if (text.isEmpty() || colour == null) {
            return;
        }
        AffineTransform saved = g.getTransform();
        g.transform(transform(e.getAttribute("transform")));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 1).deriveFont((float) size));
        double x = number(e, "x", 0);
        double w = g.getFontMetrics().getStringBounds(text, g).getWidth();
        switch (e.getAttribute("text-anchor")) {
            case "middle" -> x -= w / 2;
            case "end" -> x -= w;
            default -> {
            }
        }
        g.setColor(colour);
        g.drawString(text, (float) x, (float) number(e, "y", 0));
        g.setTransform(saved);
    }

    private static void fill(Graphics2D g, Element e, Shape s, Color byDefault) {
        Color c = colour(e.getAttribute("fill"), byDefault);
        if (c != null) {
            g.setColor(withOpacity(c, e.getAttribute("fill-opacity")));
            g.fill(s);
        }
    }

    private static void stroke(Graphics2D g, Element e, Shape s) {
        Color c = colour(e.getAttribute("stroke"), null);
        if (c == null) {
            return;
        }
        float width = (float) number(e, "stroke-width", 1);
        String dash = e.getAttribute("stroke-dasharray");
        float[] pattern = null;
        if (!dash.isBlank() && !dash.equals("none")) {
            String[] parts = NUMBERS.split(dash.strip());
            pattern = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                pattern[i] = Float.parseFloat(parts[i]);
            }
        }
        g.setColor(c);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, pattern, 0f));
        g.draw(s);
    }

    /** {@code #rgb}, {@code #rrggbb}, {@code none}, {@code white}, {@code black}; {@code byDefault} when absent. */
    static Color colour(String v, Color byDefault) {
        if (v == null || v.isEmpty()) {
            return byDefault;
        }
        switch (v) {
            case "none":
                return null;
            case "white":
                return Color.WHITE;
            case "black":
                return Color.BLACK;
            default:
                break;
        }
        if (v.matches("#[0-9a-fA-F]{6}")) {
            return new Color(Integer.parseInt(v.substring(1), 16));
        }
        if (v.matches("#[0-9a-fA-F]{3}")) {
            int r = Character.digit(v.charAt(1), 16);
            int gr = Character.digit(v.charAt(2), 16);
            int b = Character.digit(v.charAt(3), 16);
            return new Color(r * 17, gr * 17, b * 17);
        }
        throw new IllegalArgumentException("an SVG figure with the colour '" + v + "', which the report's charts do "
                + "not use");
    }

    private static Color withOpacity(Color c, String opacity) {
        if (opacity.isEmpty()) {
            return c;
        }
        int a = (int) Math.round(255 * Math.max(0, Math.min(1, Double.parseDouble(opacity))));
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), a);
    }

    static AffineTransform transform(String v) {
        AffineTransform t = new AffineTransform();
        Matcher m = TRANSFORM.matcher(v);
        while (m.find()) {
            String[] a = NUMBERS.split(m.group(2).strip());
            double[] n = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                n[i] = Double.parseDouble(a[i]);
            }
            if (m.group(1).equals("translate")) {
                t.translate(n[0], n.length > 1 ? n[1] : 0);
            } else if (n.length >= 3) {
                t.rotate(Math.toRadians(n[0]), n[1], n[2]);
            } else {
                t.rotate(Math.toRadians(n[0]));
            }
        }
        return t;
    }

    private static Path2D.Double points(String v, boolean close) {
        String[] a = NUMBERS.split(v.strip());
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i + 1 < a.length; i += 2) {
            double x = Double.parseDouble(a[i]);
            double y = Double.parseDouble(a[i + 1]);
            if (i == 0) {
                p.moveTo(x, y);
            } else {
                p.lineTo(x, y);
            }
        }
        if (close) {
            p.closePath();
        }
        return p;
    }

    /** A plain number attribute, {@code byDefault} when absent. */
    private static double number(Element e, String name, double byDefault) {
        String v = e.getAttribute(name);
        return v.isEmpty() ? byDefault : Double.parseDouble(v.strip());
    }

    /** A width or height: a number, or a percentage of the figure (the background). */
    private static double length(Element e, String name) {
        String v = e.getAttribute(name);
        if (v.endsWith("%")) {
            Element root = e.getOwnerDocument().getDocumentElement();
            return number(root, name, 0) * Double.parseDouble(v.substring(0, v.length() - 1)) / 100;
        }
        return v.isEmpty() ? 0 : Double.parseDouble(v);
    }
}
