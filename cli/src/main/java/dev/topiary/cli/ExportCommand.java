package dev.topiary.cli;

import dev.topiary.core.io.ModelFile;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.interop.onnx.OnnxExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code topiary export}: a model as ONNX, for ONNX Runtime and other serving stacks. */
@Command(name = "export",
    header = "Export a model as ONNX.",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Writes the model as an ONNX graph (opset 17) on raw inputs: input 'input' [batch, features]; the "
          + "standardisation as Sub/Div, each dense layer as Gemm and its activation, residual blocks as "
          + "Add; output 'logits' and, unless --no-probabilities, 'probabilities' for a classifier, "
          + "'output' in the target's units for a regression model. The model file's metadata (task, "
          + "labels, feature names, provenance) goes into the ONNX metadata."
    })
final class ExportCommand extends CommandBase {

  /** The formats written. */
  enum OutputFormat { onnx }

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A .safetensors model file.")
  Path model;

  @Option(names = "--format", required = true, paramLabel = "onnx", description = "The format: onnx.")
  OutputFormat format;

  @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "Where to write it.")
  Path out;

  @Option(names = "--no-probabilities", description = "For a classifier, leave out the probabilities output.")
  boolean noProbabilities;

  @Override
  void execute() throws Exception {
    Path outPath = OutputFiles.checkFile("--out", out);
    ModelFile mf = ModelFiles.read(model);
    Map<String, String> metadata = new LinkedHashMap<>(mf.metadata());
    OnnxExport.write(mf.network(), outPath, !noProbabilities, metadata);
    long bytes = Files.size(outPath);
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command", "export");
      m.put("model", model.toAbsolutePath().normalize().toString());
      m.put("format", format.name());
      m.put("out", outPath.toString());
      m.put("bytes", bytes);
      m.put("opset", OnnxExport.OPSET);
      printJson(m);
      return;
    }
    out().printf(Locale.ROOT, "Exported %s (%s) to %s: ONNX opset %d, %s bytes.%n", model,
        mf.network().describe(), outPath, OnnxExport.OPSET, dev.topiary.cli.Format.grouped(bytes));
  }
}
