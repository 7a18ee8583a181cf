/**
 * Topiary models to and from other ecosystems: ONNX export ({@link dev.topiary.interop.onnx.OnnxExport})
 * and import of the MLP subset ({@link dev.topiary.interop.onnx.OnnxImport}), and PyTorch state dicts saved
 * as safetensors ({@link dev.topiary.interop.torch.StateDictImport}). The protobuf encoding is written
 * here by hand, so the module needs nothing but the JDK and Topiary's core.
 */
module dev.topiary.interop {
  requires transitive dev.topiary.core;

  exports dev.topiary.interop.onnx;
  exports dev.topiary.interop.torch;
}
