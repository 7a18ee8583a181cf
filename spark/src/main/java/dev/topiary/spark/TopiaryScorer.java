package dev.topiary.spark;

import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Kernels;
import dev.topiary.kernels.Parallelism;
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
import org.apache.spark.api.java.function.FlatMapFunction;
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
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
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
 * <p>Missing values (null, NaN, infinite, too large for a float) follow the missing-value policy recorded
 * in the model by default: a model trained with {@code --missing mean} records an imputation
 * ({@code topiary.imputation}) and its values fill the missing features, exactly as on one JVM; a model
 * that records none stops the job with a {@link MissingFeatureException}. {@link #handleInvalid()} can
 * instead drop such rows ("skip") or refuse them whatever the model records ("error").
 *
 * <p>Each task scores on its own thread: the kernels are called with {@link Parallelism#sequential()},
 * since Spark's tasks are the parallelism.
 *
 * <p>Saving ({@link #write()}) stores the parameters in Spark's usual metadata and the model file,
 * byte for byte, as {@code model.safetensors} beside it, so a {@code Pipeline} or {@code PipelineModel}
 * holding this stage saves and loads like any other.
 */
public final class TopiaryScorer extends Transformer implements MLWritable {

  private static final long serialVersionUID = 1L;

  /** Name of the model file inside a saved scorer's directory. */
  public static final String MODEL_FILE = "model.safetensors";

  /** {@link #handleInvalid()}: the model's recorded missing-value policy (the default). */
  public static final String MODEL_POLICY = "model";

  /** {@link #handleInvalid()}: a missing feature fails the job, whatever the model records. */
  public static final String ERROR = "error";

  /** {@link #handleInvalid()}: a row with a missing feature is left out of the output. */
  public static final String SKIP = "skip";

  private static final String[] HANDLE_INVALID = {MODEL_POLICY, ERROR, SKIP};

  private final String uid;
  private final TopiaryModelBytes model;
  private final Param<String> featuresCol;
  private final StringArrayParam inputCols;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> rawPredictionCol;
  private final IntParam batchRows;
  private final Param<String> handleInvalid;

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
    this.handleInvalid = new Param<>(this, "handleInvalid",
        "what a row with a missing feature (null, NaN, infinite) does: 'model' (the model's recorded policy: "
            + "impute with its recorded values, or fail when it records none), 'error' (fail), 'skip' (drop "
            + "the row)", ParamValidators.inArray(HANDLE_INVALID));
    setDefault(featuresCol, "features");
    setDefault(inputCols, new String[0]);
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
    setDefault(rawPredictionCol, "rawPrediction");
    setDefault(batchRows, 1024);
    setDefault(handleInvalid, MODEL_POLICY);
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

  /**
   * What a row with a missing feature (null, NaN, infinite, or too large for a float) does, Spark ML's
   * {@code handleInvalid} convention: {@value #MODEL_POLICY} (the default) follows the model's recorded
   * policy, imputing exactly as {@code dev.topiary.core.data.Imputation} does when the model records one
   * ({@code topiary.imputation}, written by {@code topiary train --missing mean}) and failing with a
   * {@link MissingFeatureException} when it records none; {@value #ERROR} always fails; {@value #SKIP}
   * drops the row (it is not in the output).
   */
  public Param<String> handleInvalid() {
    return handleInvalid;
  }

  /** The value of {@link #handleInvalid()}. */
  public String getHandleInvalid() {
    return $(handleInvalid);
  }

  /** Sets {@link #handleInvalid()}. */
  public TopiaryScorer setHandleInvalid(String v) {
    set(handleInvalid, v);
    return this;
  }

  /**
   * The missing-value policy this scorer applies, from {@link #handleInvalid()} and the model.
   *
   * @throws IllegalArgumentException if the model's recorded imputation is not valid
   */
  FeatureReader.MissingValues missingValues() {
    return switch ($(handleInvalid)) {
      case SKIP -> FeatureReader.MissingValues.skip();
      case ERROR -> FeatureReader.MissingValues.fail("handleInvalid is \"error\", so every feature must be "
          + "present and finite");
      default -> FeatureReader.MissingValues.ofModel(model);
    };
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
    FeatureReader.resolve(schema, $(featuresCol), $(inputCols), network.inputSize(), missingValues());
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

  /**
   * Scores {@code dataset}. On a classic (non-Connect) session, for a table that is not streaming, each
   * partition is read and written in Spark's internal row format: features are copied straight from the
   * vector's values array (or the numeric columns) into a reused float batch, and the outputs are written
   * into reused rows that Spark copies into its own buffers, so no {@link Row} or {@code Vector} object is
   * made per row. Elsewhere the rows go through Spark's {@link Row} encoder ({@link #transformRows}).
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType in = dataset.schema();
    StructType out = transformSchema(in);
    if (dataset instanceof org.apache.spark.sql.classic.Dataset<?> classic && !dataset.isStreaming()) {
      Plan plan = plan(in, dataset);
      RDD<InternalRow> rows = classic.queryExecution().toRdd();
      RDD<InternalRow> scored = rows.toJavaRDD().mapPartitions(new ScoreInternalRows(plan)).rdd();
      return classic.sparkSession().internalCreateDataFrame(scored, out, false);
    }
    return transformRows(dataset);
  }

  /**
   * {@link #transform} through Spark's {@link Row} encoder: every row becomes a {@link Row}, its vector a
   * {@code Vector}, and back. The route of streaming tables and of sessions other than classic ones
   * (Spark Connect); public so that a benchmark can compare the two routes. The output is the same.
   */
  public Dataset<Row> transformRows(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    return dataset.toDF().mapPartitions(new ScoreRows(plan(dataset.schema(), dataset)), Encoders.row(out));
  }

  /** What every task needs: the broadcast model, where the features are, what to write. */
  private Plan plan(StructType in, Dataset<?> dataset) {
    Network network = model.network();
    FeatureReader reader =
        FeatureReader.resolve(in, $(featuresCol), $(inputCols), network.inputSize(), missingValues());
    Broadcast<TopiaryModelBytes> shared =
        JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext()).broadcast(model);
    Outputs outputs = new Outputs(network.task().isClassification(), !$(rawPredictionCol).isEmpty(),
        !$(probabilityCol).isEmpty(), !$(predictionCol).isEmpty(), network.outputSize());
    return new Plan(shared, reader, outputs, getBatchRows());
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
      implements Serializable {

    /** Number of output columns. */
    int count() {
      return classification ? (raw ? 1 : 0) + (probability ? 1 : 0) + (prediction ? 1 : 0) : prediction ? 1 : 0;
    }
  }

  /** What each task is given. */
  record Plan(Broadcast<TopiaryModelBytes> model, FeatureReader reader, Outputs outputs, int batchRows)
      implements Serializable {}

  /**
   * One partition's rows, batch by batch, lazily: at most one batch of rows is held at a time. Features
   * go into one reused float batch, which runs through the network in one call on the calling thread
   * ({@link Parallelism#sequential()}: Spark's tasks are the parallelism, so a task never starts GEMM
   * threads of its own); {@link #emit} turns a scored row into an output row.
   *
   * @param <T> the row type
   */
  abstract static class Batches<T> implements Iterator<T> {
    final Iterator<T> rows;
    final FeatureReader reader;
    final Outputs outputs;
    final Network network;
    final int batchRows;
    final int partition;
    final int in;
    final int k;
    final Object[] held;
    final float[] x;
    final float[] y;
    final float[] p;
    int size;
    int next;
    long seen;

    Batches(Iterator<T> rows, Plan plan) {
      this.rows = rows;
      this.reader = plan.reader();
      this.outputs = plan.outputs();
      this.network = plan.model().value().network();
      this.batchRows = plan.batchRows();
      TaskContext ctx = TaskContext.get();
      this.partition = ctx == null ? 0 : ctx.partitionId();
      this.in = reader.width();
      this.k = outputs.k();
      this.held = new Object[batchRows];
      this.x = new float[batchRows * in];
      this.y = new float[batchRows * k];
      this.p = outputs.classification() && outputs.probability() ? new float[batchRows * k] : null;
    }

    /** Reads row r's features into batch slot {@code slot}; false when the row is skipped. */
    abstract boolean read(T r, int slot, long position);

    /** What to hold of row r until its batch is scored (internal rows are reused by Spark: a copy). */
    abstract Object hold(T r);

    /** The output row for held row {@code r}, batch slot {@code i}. */
    abstract T emit(Object r, int i);

    @Override
    public boolean hasNext() {
      if (next < size) {
        return true;
      }
      fill();
      return next < size;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int i = next++;
      Object r = held[i];
      held[i] = null;
      return emit(r, i);
    }

    private void fill() {
      size = 0;
      next = 0;
      while (size < batchRows && rows.hasNext()) {
        T r = rows.next();
        if (read(r, size, seen++)) {
          held[size++] = hold(r);
        }
      }
      if (size == 0) {
        return;
      }
      if (outputs.classification()) {
        network.predictLogits(x, 0, size, y, 0, Parallelism.sequential());
        if (p != null) {
          Kernels.softmaxRows(size, k, y, 0, p, 0);
        }
      } else {
        network.predictValues(x, 0, size, y, 0, Parallelism.sequential());
      }
    }
  }

  /** Scores a partition of {@link Row}s (the encoder route). */
  static final class ScoreRows implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Plan plan;

    ScoreRows(Plan plan) {
      this.plan = plan;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Batches<>(rows, plan) {
        @Override
        boolean read(Row r, int slot, long position) {
          return reader.read(r, x, slot * in, partition, position);
        }

        @Override
        Object hold(Row r) {
          return r;
        }

        @Override
        Row emit(Object held, int i) {
          Row r = (Row) held;
          int n = r.size();
          Object[] v = new Object[n + outputs.count()];
          for (int c = 0; c < n; c++) {
            v[c] = r.get(c);
          }
          int o = n;
          int base = i * k;
          if (outputs.classification()) {
            if (outputs.raw()) {
              v[o++] = Vectors.dense(toDouble(y, base, k));
            }
            if (outputs.probability()) {
              v[o++] = Vectors.dense(toDouble(p, base, k));
            }
            if (outputs.prediction()) {
              v[o++] = (double) argmax(y, base, k);
            }
          } else if (outputs.prediction()) {
            v[o++] = k == 1 ? (Object) (double) y[base] : Vectors.dense(toDouble(y, base, k));
          }
          return RowFactory.create(v);
        }
      };
    }
  }

  /**
   * Scores a partition in Spark's internal row format. Each output row is the input row joined to one
   * reused row of outputs whose vectors are reused arrays; Spark's scan of the resulting table copies
   * every row into its own buffer before asking for the next, which is what makes the reuse safe.
   */
  static final class ScoreInternalRows implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private static final long serialVersionUID = 1L;
    private final Plan plan;

    ScoreInternalRows(Plan plan) {
      this.plan = plan;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
      return new Batches<>(rows, plan) {
        final GenericInternalRow extra = new GenericInternalRow(outputs.count());
        final JoinedRow joined = new JoinedRow();
        final UnsafeArrayData rawValues = UnsafeArrayData.createFreshArray(k, Double.BYTES);
        final UnsafeArrayData probValues = UnsafeArrayData.createFreshArray(k, Double.BYTES);
        // VectorUDT's storage of a dense vector: (type 1, size null, indices null, values).
        final GenericInternalRow rawVector = new GenericInternalRow(new Object[] {(byte) 1, null, null, rawValues});
        final GenericInternalRow probVector = new GenericInternalRow(new Object[] {(byte) 1, null, null, probValues});

        @Override
        boolean read(InternalRow r, int slot, long position) {
          return reader.read(r, x, slot * in, partition, position);
        }

        @Override
        Object hold(InternalRow r) {
          return r.copy();
        }

        @Override
        InternalRow emit(Object held, int i) {
          int o = 0;
          int base = i * k;
          if (outputs.classification()) {
            if (outputs.raw()) {
              for (int j = 0; j < k; j++) {
                rawValues.setDouble(j, y[base + j]);
              }
              extra.update(o++, rawVector);
            }
            if (outputs.probability()) {
              for (int j = 0; j < k; j++) {
                probValues.setDouble(j, p[base + j]);
              }
              extra.update(o++, probVector);
            }
            if (outputs.prediction()) {
              extra.setDouble(o++, argmax(y, base, k));
            }
          } else if (outputs.prediction()) {
            if (k == 1) {
              extra.setDouble(o++, y[base]);
            } else {
              for (int j = 0; j < k; j++) {
                rawValues.setDouble(j, y[base + j]);
              }
              extra.update(o++, rawVector);
            }
          }
          return joined.apply((InternalRow) held, extra);
        }
      };
    }
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
