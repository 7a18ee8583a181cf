/** The {@code topiary} command. */
module dev.topiary.cli {
  requires dev.topiary.methods;
  requires dev.topiary.interop;
  requires dev.topiary.datasets;
  requires info.picocli;
  requires java.desktop;
  requires java.logging;

  opens dev.topiary.cli to info.picocli;
  opens dev.topiary.cli.bench to info.picocli;
}
