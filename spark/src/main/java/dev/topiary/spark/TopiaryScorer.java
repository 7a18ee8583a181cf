package dev.topiary.spark;

import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Kernels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that scores a table with a Topiary model: the model file is broadcast
 * once per {@link #transform} and each partition runs through the network in batches of
 * {@link #batchRows()} rows on the SIMD kernels (one batched forward pass per batch, not one call per
 * row).
 *
 * <p>Inputs come from the vector column {@link #featuresCol()} ("features"), or, when
 * {@link #inputCols()} is set, from numeric columns matched by name, one per model input in the model's
 * order. The model applies its own input standardisation, so columns hold raw values, as in training.
 *
 * <p>Outputs are named as Spark ML's own models name them. A classifier adds
 * {@link #rawPredictionCol()} ("rawPrediction", the logits as a vector), {@link #probabilityCol()}
 * ("probability", their softmax) and {@link #predictionCol()} ("prediction", the index of the largest
 * logit as a double, so Spark's evaluators and {@code IndexToString} with the model's class labels work
 * unchanged). A regression model adds "prediction" in raw target units: a double for one output, a vector
 * for several. Setting an output column's name to the empty string leaves it out.
 *
 * <p>Missing values (null, NaN, infinite) follow the missing-value policy recorded in the model; a model
 * that records none stops the job with a {@link MissingFeatureException}.
 *
 * <p>Saving ({@link #write()}) stores the parameters in Spark's usual metadata and the model file,
 * byte for byte, as {@code model.safetensors} beside it, so a {@code Pipeline} or {@code PipelineModel}
 * holding this stage saves and loads like any other.
 */
public final class TopiaryScorer extends Transformer implements MLWritable {

  private static final long serialVersionUID = 1L;

  /** Name of the model file inside a saved scorer's directory. */
  public static final String MODEL_FILE = "model.safetensors";

  private final String uid;
  private final TopiaryModelBytes model;
  private final Param<String> featuresCol;
  private final StringArrayParam inputCols;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> rawPredictionCol;
  private final IntParam batchRows;

  /** A scorer for the model in {@code modelFile}. */
  public static TopiaryScorer fromFile(Path modelFile) throws IOException {
    return new TopiaryScorer(Identifiable$.MODULE$.randomUID("topiary"), TopiaryModelBytes.read(modelFile));
  }

  /** A scorer for {@code model}, with a new uid. */
  public TopiaryScorer(TopiaryModelBytes model) {
    this(Identifiable$.MODULE$.randomUID("topiary"), model);
  }

  /** A scorer for {@code model} with the given uid (what loading uses). */
  public TopiaryScorer(String uid, TopiaryModelBytes model) {
    this.uid = uid;
    this.model = model;
    this.featuresCol = new Param<>(this, "featuresCol", "vector column of the model's inputs");
    this.inputCols = new StringArrayParam(this, "inputCols",
        "numeric columns, one per model input in order; when set, used instead of featuresCol");
    this.predictionCol = new Param<>(this, "predictionCol", "prediction column name");
    this.probabilityCol = new Param<>(this, "probabilityCol",
        "column of class probabilities (classification); empty for none");
    this.rawPredictionCol = new Param<>(this, "rawPredictionCol",
        "column of logits (classification); empty for none");
    this.batchRows = new IntParam(this, "batchRows", "rows per forward batch", ParamValidators.gtEq(1));
    setDefault(featuresCol, "features");
    setDefault(inputCols, new String[0]);
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
    setDefault(rawPredictionCol, "rawPrediction");
    setDefault(batchRows, 1024);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The model this stage scores with. */
  public TopiaryModelBytes model() {
    return model;
  }

  /** The network this stage scores with. */
  public Network network() {
    return model.network();
  }

  /** Vector column of the model's inputs (default "features"). */
  public Param<String> featuresCol() {
    return featuresCol;
  }

  /** Numeric input columns, one per model input in order (default: none, use featuresCol). */
  public StringArrayParam inputCols() {
    return inputCols;
  }

  /** Prediction column (default "prediction"). */
  public Param<String> predictionCol() {
    return predictionCol;
  }

  /** Probability column of a classifier (default "probability"; empty for none). */
  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  /** Logits column of a classifier (default "rawPrediction"; empty for none). */
  public Param<String> rawPredictionCol() {
    return rawPredictionCol;
  }

  /** Rows per forward batch (default 1024). */
  public IntParam batchRows() {
    return batchRows;
  }

  /** The value of {@link #batchRows()}. */
  public int getBatchRows() {
    return (Integer) getOrDefault(batchRows);
  }

  /** Sets {@link #featuresCol()}. */
  public TopiaryScorer setFeaturesCol(String v) {
    set(featuresCol, v);
    return this;
  }

  /** Sets {@link #inputCols()}. */
  public TopiaryScorer setInputCols(String... v) {
    set(inputCols, v);
    return this;
  }

  /** Sets {@link #predictionCol()}. */
  public TopiaryScorer setPredictionCol(String v) {
    set(predictionCol, v);
    return this;
  }

  /** Sets {@link #probabilityCol()}. */
  public TopiaryScorer setProbabilityCol(String v) {
    set(probabilityCol, v);
    return this;
  }

  /** Sets {@link #rawPredictionCol()}. */
  public TopiaryScorer setRawPredictionCol(String v) {
    set(rawPredictionCol, v);
    return this;
  }

  /** Sets {@link #batchRows()}. */
  public TopiaryScorer setBatchRows(int v) {
    set(batchRows, v);
    return this;
  }

  /** The output columns this stage adds, in order, with their types. */
  private List<StructField> outputFields() {
    Task task = model.network().task();
    List<StructField> out = new ArrayList<>();
    if (task.isClassification()) {
      addIfNamed(out, $(rawPredictionCol), SQLDataTypes.VectorType());
      addIfNamed(out, $(probabilityCol), SQLDataTypes.VectorType());
      addIfNamed(out, $(predictionCol), DataTypes.DoubleType);
    } else {
      addIfNamed(out, $(predictionCol), task.outputs() == 1 ? DataTypes.DoubleType : SQLDataTypes.VectorType());
    }
    return out;
  }

  private static void addIfNamed(List<StructField> out, String name, DataType type) {
    if (!name.isEmpty()) {
      out.add(DataTypes.createStructField(name, type, false));
    }
  }

  @Override
  public StructType transformSchema(StructType schema) {
    Network network = model.network();
    FeatureReader.resolve(schema, $(featuresCol), $(inputCols), network.inputSize());
    StructType out = schema;
    for (StructField f : outputFields()) {
      if (java.util.Arrays.asList(out.fieldNames()).contains(f.name())) {
        throw new IllegalArgumentException("output column '" + f.name() + "' already exists; "
            + "choose another name with its set…Col method");
      }
      out = out.add(f);
    }
    return out;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType in = dataset.schema();
    StructType out = transformSchema(in);
    Network network = model.network();
    FeatureReader reader = FeatureReader.resolve(in, $(featuresCol), $(inputCols), network.inputSize());
    Broadcast<TopiaryModelBytes> shared =
        JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext()).broadcast(model);
    Outputs outputs = new Outputs(network.task().isClassification(), !$(rawPredictionCol).isEmpty(),
        !$(probabilityCol).isEmpty(), !$(predictionCol).isEmpty(), network.outputSize());
    return dataset.toDF().mapPartitions(new ScorePartition(shared, reader, outputs, getBatchRows()),
        Encoders.row(out));
  }

  @Override
  public TopiaryScorer copy(ParamMap extra) {
    return copyValues(new TopiaryScorer(uid, model), extra);
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** A reader of saved scorers; what {@code Pipeline} and {@code PipelineModel} loading call. */
  public static MLReader<TopiaryScorer> read() {
    return new Reader();
  }

  /** Loads a scorer saved with {@link #write()}. */
  public static TopiaryScorer load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "TopiaryScorer[" + uid + ", " + model.network().describe() + "]";
  }

  /** Which outputs to write. */
  record Outputs(boolean classification, boolean raw, boolean probability, boolean prediction, int k)
      implements Serializable {}

  /** Scores one partition, batch by batch, lazily: at most one batch of rows is held at a time. */
  static final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<TopiaryModelBytes> model;
    private final FeatureReader reader;
    private final Outputs outputs;
    private final int batchRows;

    ScorePartition(Broadcast<TopiaryModelBytes> model, FeatureReader reader, Outputs outputs, int batchRows) {
      this.model = model;
      this.reader = reader;
      this.outputs = outputs;
      this.batchRows = batchRows;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      Network network = model.value().network();
      TaskContext ctx = TaskContext.get();
      int partition = ctx == null ? 0 : ctx.partitionId();
      return new Iterator<>() {
        final int in = reader.width();
        final int k = outputs.k;
        final Row[] batch = new Row[batchRows];
        final float[] x = new float[batchRows * in];
        final float[] y = new float[batchRows * k];
        final float[] p = outputs.classification && outputs.probability ? new float[batchRows * k] : null;
        int size;
        int next;
        long seen;

        @Override
        public boolean hasNext() {
          if (next < size) {
            return true;
          }
          fill();
          return next < size;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          int i = next++;
          Row r = batch[i];
          batch[i] = null;
          return emit(r, i);
        }

        private void fill() {
          size = 0;
          next = 0;
          while (size < batchRows && rows.hasNext()) {
            Row r = rows.next();
            reader.read(r, x, size * in, "partition " + partition + ", row " + seen);
            batch[size++] = r;
            seen++;
          }
          if (size == 0) {
            return;
          }
          if (outputs.classification) {
            network.predictLogits(x, 0, size, y, 0);
            if (p != null) {
              Kernels.softmaxRows(size, k, y, 0, p, 0);
            }
          } else {
            network.predictValues(x, 0, size, y, 0);
          }
        }

        private Row emit(Row r, int i) {
          int n = r.size();
          int extra = (outputs.raw && outputs.classification ? 1 : 0)
              + (outputs.probability && outputs.classification ? 1 : 0) + (outputs.prediction ? 1 : 0);
          Object[] v = new Object[n + extra];
          for (int c = 0; c < n; c++) {
            v[c] = r.get(c);
          }
          int o = n;
          int base = i * k;
          if (outputs.classification) {
            if (outputs.raw) {
              v[o++] = Vectors.dense(toDouble(y, base, k));
            }
            if (outputs.probability) {
              v[o++] = Vectors.dense(toDouble(p, base, k));
            }
            if (outputs.prediction) {
              v[o++] = (double) argmax(y, base, k);
            }
          } else if (outputs.prediction) {
            v[o++] = k == 1 ? (Object) (double) y[base] : Vectors.dense(toDouble(y, base, k));
          }
          return RowFactory.create(v);
        }
      };
    }

    private static double[] toDouble(float[] a, int off, int n) {
      double[] d = new double[n];
      for (int j = 0; j < n; j++) {
        d[j] = a[off + j];
      }
      return d;
    }

    /** The first index of the largest value, as {@code Network.predictClasses} picks it. */
    static int argmax(float[] a, int off, int n) {
      int best = 0;
      float max = a[off];
      for (int j = 1; j < n; j++) {
        float v = a[off + j];
        if (v > max || (Float.isNaN(max) && !Float.isNaN(v))) {
          max = v;
          best = j;
        }
      }
      return best;
    }
  }

  /** Writes the parameters as Spark's metadata and the model file beside them. */
  private static final class Writer extends MLWriter {
    private final TopiaryScorer instance;

    Writer(TopiaryScorer instance) {
      this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path, MODEL_FILE);
      try {
        FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
        try (OutputStream o = fs.create(file, true)) {
          o.write(instance.model.bytes());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }
  }

  /** Reads what {@link Writer} wrote. */
  private static final class Reader extends MLReader<TopiaryScorer> {
    @Override
    public TopiaryScorer load(String path) {
      DefaultParamsReader.Metadata metadata =
          DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(), TopiaryScorer.class.getName());
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path, MODEL_FILE);
      byte[] bytes;
      try {
        FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
        try (InputStream s = fs.open(file)) {
          bytes = s.readAllBytes();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      TopiaryScorer scorer = new TopiaryScorer(metadata.uid(), TopiaryModelBytes.of(bytes, file.toString()));
      metadata.getAndSetParams(scorer, scala.Option.empty());
      return scorer;
    }
  }
}
