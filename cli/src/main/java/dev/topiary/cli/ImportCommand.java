package dev.topiary.cli;

import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.io.Provenance;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.interop.onnx.OnnxImport;
import dev.topiary.interop.torch.StateDictImport;
import dev.topiary.kernels.Activation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code topiary import}: a PyTorch MLP (state dict as safetensors, or ONNX) as a Topiary model. */
@Command(name = "import",
    header = "Import a PyTorch MLP (safetensors state dict or ONNX) as a Topiary model.",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "FILE.onnx: a dense network exported by torch.onnx.export (Gemm or MatMul+Add, the activations, "
          + "Sub/Div standardisation, residual Add); anything else is refused naming the node.",
      "Any other FILE: a plain state dict saved with safetensors.torch.save_file, with linear layers named "
          + "layers.N.weight/bias (ModuleList) or N.weight/bias (Sequential), residual blocks h + f(h) of one "
          + "or two layers named layers.N.f.J.weight/bias, and optionally input_scaling.mean/scale and "
          + "output_scaling.mean/scale; the topology is read from the names and shapes, --activation names "
          + "the hidden layers' activation (a two-layer block's second layer is linear, as Topiary builds "
          + "them). See docs/pytorch.md."
    })
final class ImportCommand extends CommandBase {

  /** The tasks a model can have. */
  enum TaskKind { classification, regression }

  @Option(names = "--model", required = true, paramLabel = "FILE",
      description = "The PyTorch model: a .safetensors state dict or an .onnx file.")
  Path model;

  @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Where to save the Topiary model.")
  Path out;

  @Option(names = "--activation", paramLabel = "A",
      description = "The hidden layers' activation, for a state dict (relu, leaky_relu, tanh, sigmoid, gelu"
          + " (tanh form), silu).")
  String activation;

  @Option(names = "--task", paramLabel = "T",
      description = "classification or regression (default: classification when the model has more than one"
          + " output, or the ONNX file records its task).")
  TaskKind task;

  @Option(names = "--labels", paramLabel = "A,B,...", split = ",",
      description = "Class labels in output order (default: 0, 1, ...).")
  List<String> labels;

  @Option(names = "--features", paramLabel = "F1,F2,...", split = ",",
      description = "Input column names in input order, so that predict and eval find CSV columns by name.")
  List<String> features;

  @Override
  void execute() throws Exception {
    Path outPath = OutputFiles.checkFile("--out", out);
    if (!Files.isRegularFile(model)) {
      throw new java.nio.file.NoSuchFileException(model.toString(), null, "no such model file");
    }
    boolean onnx = model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    Network net;
    Map<String, String> carried = new LinkedHashMap<>();
    if (onnx) {
      if (activation != null) {
        throw new InputException("--activation applies to state dicts; an ONNX graph names its activations");
      }
      OnnxImport.Imported im = OnnxImport.read(model, null);
      Task t = task == null && labels == null ? im.network().task() : task(im.network().outputSize());
      net = t.equals(im.network().task()) ? im.network()
          : new Network(im.network().inputSize(), im.network().layers(), t, im.network().inputScaling(), null);
      for (Map.Entry<String, String> e : im.metadata().entrySet()) {
        if (e.getKey().startsWith("topiary.") && !ModelFiles.RESERVED_KEYS.contains(e.getKey())) {
          carried.put(e.getKey(), e.getValue());
        }
      }
    } else {
      if (activation == null) {
        throw new InputException("a state dict does not record its activation: name it with --activation"
            + " (relu, leaky_relu, tanh, sigmoid, gelu, silu)");
      }
      Activation a = Activation.parse(activation);
      net = StateDictImport.read(model, a, task(StateDictImport.outputs(model)));
    }
    Provenance p = Provenance.fromMetadata(carried).withTool("topiary import");
    if (features != null) {
      if (features.size() != net.inputSize()) {
        throw new InputException("--features names " + features.size() + " columns, the model reads "
            + net.inputSize());
      }
      p = p.withFeatureNames(features);
    }
    carried.put("topiary.imported_from", model.toAbsolutePath().normalize().toString());
    ModelFiles.save(net, outPath, p, carried);
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command", "import");
      m.put("model", model.toAbsolutePath().normalize().toString());
      m.put("out", outPath.toString());
      m.put("topology", net.describe());
      m.put("parameters", net.parameterCount());
      m.put("task", net.task().kind().name().toLowerCase(Locale.ROOT));
      printJson(m);
      return;
    }
    out().printf(Locale.ROOT, "Imported %s as %s (%s, %s parameters) to %s.%n", model, net.describe(),
        net.task().isClassification() ? net.task().classes() + " classes" : "regression",
        dev.topiary.cli.Format.grouped(net.parameterCount()), outPath);
  }

  private Task task(int outputs) {
    TaskKind kind = task != null ? task : labels != null || outputs > 1 ? TaskKind.classification
        : TaskKind.regression;
    if (kind == TaskKind.regression) {
      if (labels != null) {
        throw new InputException("--labels applies to classification");
      }
      return Task.regression(outputs);
    }
    List<String> names = labels;
    if (names == null) {
      names = new ArrayList<>();
      for (int c = 0; c < outputs; c++) {
        names.add(Integer.toString(c));
      }
    }
    if (names.size() != outputs) {
      throw new InputException("--labels names " + names.size() + " classes " + Arrays.toString(names.toArray())
          + ", the model has " + outputs + " outputs");
    }
    if (outputs < 2) {
      throw new InputException("a classifier needs at least 2 outputs, the model has " + outputs
          + "; use --task regression");
    }
    return Task.classification(names);
  }
}
