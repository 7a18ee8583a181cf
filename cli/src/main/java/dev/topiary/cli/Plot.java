package dev.topiary.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A small scatter-and-line chart (y against x, several named series) written as SVG by hand and as PNG
 * through the JDK's headless Java2D. Both renderings come from the same layout, so they agree.
 */
final class Plot {

  /** One series: points joined by lines when {@code line} is true, markers always. */
  record Series(String name, double[] x, double[] y, boolean line) {}

  private static final int W = 720;
  private static final int H = 460;
  private static final int LEFT = 70;
  private static final int RIGHT = 170;
  private static final int TOP = 40;
  private static final int BOTTOM = 55;
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf)
  };

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();

  Plot(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  Plot add(Series s) {
    if (s.x().length != s.y().length) {
      throw new IllegalArgumentException("series " + s.name() + ": x and y lengths differ");
    }
    series.add(s);
    return this;
  }

  private double[] bounds() {
    double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
          x0 = Math.min(x0, s.x()[i]);
          x1 = Math.max(x1, s.x()[i]);
          y0 = Math.min(y0, s.y()[i]);
          y1 = Math.max(y1, s.y()[i]);
        }
      }
    }
    if (!(x0 <= x1)) {
      x0 = 0;
      x1 = 1;
      y0 = 0;
      y1 = 1;
    }
    double px = (x1 - x0) * 0.05 + 1e-9;
    double py = (y1 - y0) * 0.08 + 1e-9;
    return new double[] {x0 - px, x1 + px, y0 - py, y1 + py};
  }

  private static double sx(double x, double[] b) {
    return LEFT + (x - b[0]) / (b[1] - b[0]) * (W - LEFT - RIGHT);
  }

  private static double sy(double y, double[] b) {
    return H - BOTTOM - (y - b[2]) / (b[3] - b[2]) * (H - TOP - BOTTOM);
  }

  private static double[] ticks(double lo, double hi) {
    double span = hi - lo;
    double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
    if (span / step > 10) {
      step *= 2;
    }
    if (span / step > 10) {
      step *= 2.5;
    }
    List<Double> t = new ArrayList<>();
    for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) {
      t.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
    }
    return t.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.3g", v);
  }

  /** The chart as an SVG document. */
  String svg() {
    double[] b = bounds();
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
        W, H));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n", LEFT, esc(title)));
    for (double t : ticks(b[0], b[1])) {
      double x = sx(t, b);
      s.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
          x, TOP, x, H - BOTTOM, x, H - BOTTOM + 16, fmt(t)));
    }
    for (double t : ticks(b[2], b[3])) {
      double y = sy(t, b);
      s.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
          LEFT, y, W - RIGHT, y, LEFT - 6, y + 4, fmt(t)));
    }
    s.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"black\"/>%n",
        LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
        (LEFT + W - RIGHT) / 2, H - 15, esc(xLabel)));
    s.append(String.format(Locale.ROOT,
        "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">%s</text>%n",
        (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2, esc(yLabel)));
    for (int k = 0; k < series.size(); k++) {
      Series ser = series.get(k);
      String col = String.format("#%06x", PALETTE[k % PALETTE.length].getRGB() & 0xffffff);
      if (ser.line() && ser.x().length > 1) {
        s.append("<polyline fill=\"none\" stroke=\"").append(col).append("\" stroke-width=\"1.8\" points=\"");
        for (int i = 0; i < ser.x().length; i++) {
          s.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx(ser.x()[i], b), sy(ser.y()[i], b)));
        }
        s.append("\"/>\n");
      }
      for (int i = 0; i < ser.x().length; i++) {
        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>%n",
            sx(ser.x()[i], b), sy(ser.y()[i], b), col));
      }
      int ly = TOP + 10 + 18 * k;
      s.append(String.format(Locale.ROOT,
          "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
          W - RIGHT + 14, ly, col, W - RIGHT + 24, ly + 4, esc(ser.name())));
    }
    s.append("</svg>\n");
    return s.toString();
  }

  /** The chart as a PNG image. */
  BufferedImage image() {
    double[] b = bounds();
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    g.setColor(Color.BLACK);
    g.drawString(title, LEFT, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (double t : ticks(b[0], b[1])) {
      double x = sx(t, b);
      g.setColor(new Color(0xdddddd));
      g.draw(new Line2D.Double(x, TOP, x, H - BOTTOM));
      g.setColor(Color.BLACK);
      String l = fmt(t);
      g.drawString(l, (float) (x - g.getFontMetrics().stringWidth(l) / 2.0), H - BOTTOM + 16);
    }
    for (double t : ticks(b[2], b[3])) {
      double y = sy(t, b);
      g.setColor(new Color(0xdddddd));
      g.draw(new Line2D.Double(LEFT, y, W - RIGHT, y));
      g.setColor(Color.BLACK);
      String l = fmt(t);
      g.drawString(l, LEFT - 6 - g.getFontMetrics().stringWidth(l), (float) y + 4);
    }
    g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
    g.drawString(xLabel, (LEFT + W - RIGHT - g.getFontMetrics().stringWidth(xLabel)) / 2, H - 15);
    Graphics2D gy = (Graphics2D) g.create();
    gy.rotate(-Math.PI / 2);
    gy.drawString(yLabel, -(TOP + H - BOTTOM + g.getFontMetrics().stringWidth(yLabel)) / 2, 22);
    gy.dispose();
    g.setStroke(new BasicStroke(1.8f));
    for (int k = 0; k < series.size(); k++) {
      Series ser = series.get(k);
      g.setColor(PALETTE[k % PALETTE.length]);
      for (int i = 0; i < ser.x().length; i++) {
        double x = sx(ser.x()[i], b);
        double y = sy(ser.y()[i], b);
        if (ser.line() && i > 0) {
          g.draw(new Line2D.Double(sx(ser.x()[i - 1], b), sy(ser.y()[i - 1], b), x, y));
        }
        g.fill(new Ellipse2D.Double(x - 3.5, y - 3.5, 7, 7));
      }
      int ly = TOP + 10 + 18 * k;
      g.fill(new Ellipse2D.Double(W - RIGHT + 10, ly - 4, 8, 8));
      g.setColor(Color.BLACK);
      g.drawString(ser.name(), W - RIGHT + 24, ly + 4);
    }
    g.dispose();
    return img;
  }

  /**
   * Writes {@code base}.svg and {@code base}.png, each through a temporary file and a rename. Both are
   * rendered before either is written, so a rendering failure leaves both files as they were.
   */
  void write(Path base) throws IOException {
    String svgText = svg();
    ByteArrayOutputStream pngBytes = new ByteArrayOutputStream();
    if (!ImageIO.write(image(), "png", pngBytes)) {
      throw new IOException("no PNG writer in this JDK");
    }
    OutputFiles.writeText(base.resolveSibling(base.getFileName() + ".svg"), svgText);
    OutputFiles.write(base.resolveSibling(base.getFileName() + ".png"), pngBytes.toByteArray());
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
