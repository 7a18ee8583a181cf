package dev.topiary.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress display on standard error: a bar redrawn in place on a terminal, at most ten times
 * a second; when standard error is not a terminal (a log file, CI), only the lines passed to
 * {@link #line} are printed, so logs stay readable. Quiet, it prints nothing at all.
 */
final class Progress {

  private static final int BAR = 28;
  private static final long MIN_REDRAW_NANOS = 100_000_000L;

  private final PrintWriter out;
  private final boolean live;
  private final boolean quiet;
  private long lastDraw;
  private int lastWidth;

  /** Progress on {@code out}, redrawn in place when {@code live}. */
  Progress(PrintWriter out, boolean quiet, boolean live) {
    this.out = out;
    this.quiet = quiet;
    this.live = live && !quiet;
  }

  /** Progress on a stream, live when it is a terminal session. */
  Progress(PrintStream out, boolean quiet) {
    this(new PrintWriter(out, true), quiet, Terminal.stderrIsTerminal());
  }

  /** Standard error, drawn live when it is a terminal. */
  static Progress stderr(boolean quiet) {
    return new Progress(System.err, quiet);
  }

  /** True when the bar is redrawn in place. */
  boolean live() {
    return live;
  }

  /** Redraws the bar for {@code done} of {@code total} with a label and a short status text. */
  void update(String label, long done, long total, String status) {
    if (!live) {
      return;
    }
    long now = System.nanoTime();
    if (done < total && now - lastDraw < MIN_REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    double f = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
    int filled = (int) Math.round(f * BAR);
    String text = String.format(Locale.ROOT, "%-12s [%s%s] %3.0f%%  %s", label,
        "#".repeat(filled), ".".repeat(BAR - filled), 100 * f, status);
    int pad = Math.max(0, lastWidth - text.length());
    out.print("\r" + text + " ".repeat(pad));
    out.flush();
    lastWidth = text.length();
  }

  /** Prints a whole line (clearing a live bar first). */
  void line(String text) {
    if (quiet) {
      return;
    }
    clear();
    out.println(text);
    out.flush();
  }

  /** Removes a live bar from the screen. */
  void clear() {
    if (live && lastWidth > 0) {
      out.print("\r" + " ".repeat(lastWidth) + "\r");
      out.flush();
      lastWidth = 0;
    }
  }
}
