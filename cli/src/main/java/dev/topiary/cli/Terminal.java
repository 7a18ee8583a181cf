package dev.topiary.cli;

/**
 * Whether standard error is a terminal. The {@code topiary} launcher knows (the shell's {@code -t 2}) and
 * passes it as the system property {@code topiary.stderr.tty}; without it, a console on standard input
 * and output is taken as a sign of an interactive session.
 */
final class Terminal {

  private Terminal() {}

  static boolean stderrIsTerminal() {
    if ("dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    String p = System.getProperty("topiary.stderr.tty");
    if (p != null) {
      return p.equals("1") || p.equalsIgnoreCase("true");
    }
    return System.console() != null;
  }
}
