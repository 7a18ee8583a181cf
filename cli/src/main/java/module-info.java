/** The {@code topiary} command. */
module dev.topiary.cli {
  requires dev.topiary.methods;
  requires info.picocli;
  requires java.desktop;
  requires java.logging;

  opens dev.topiary.cli to info.picocli;
  opens dev.topiary.cli.bench to info.picocli;
}
