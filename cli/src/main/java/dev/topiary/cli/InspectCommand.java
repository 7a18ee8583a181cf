package dev.topiary.cli;

import dev.topiary.core.io.ModelFile;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.ModelSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code topiary inspect}: the layers, sizes and provenance of a model file. */
@Command(name = "inspect",
    header = "Show a model file's layers, sizes and provenance.",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Show a model file: task, input, every layer with its parameters and FLOPs per row, and "
          + "what the file records about how the model was made (data, split, training, pruning)."
    })
final class InspectCommand extends CommandBase {

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A .safetensors model file.")
  Path model;

  @Override
  void execute() throws Exception {
    ModelFile mf = ModelFiles.read(model);
    ModelSummary summary = ModelSummary.of(mf.network());
    long bytes = Files.size(model);
    Map<String, String> extra = mf.extraMetadata();
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command", "inspect");
      m.put("model", model.toAbsolutePath().normalize().toString());
      m.put("bytes", bytes);
      m.put("topology", mf.network().describe());
      m.putAll(summary.toJson());
      m.put("metadata", extra);
      printJson(m);
      return;
    }
    var o = out();
    o.printf(Locale.ROOT, "model:  %s (%s bytes)%n", model, Format.grouped(bytes));
    o.printf(Locale.ROOT, "shape:  %s%n", mf.network().describe());
    o.print(summary.table());
    if (!extra.isEmpty()) {
      o.println();
      o.println("metadata:");
      int w = extra.keySet().stream().mapToInt(String::length).max().orElse(0);
      extra.forEach((k, v) -> o.printf(Locale.ROOT, "  %-" + w + "s  %s%n", k, v));
    }
  }
}
