package dev.topiary.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The embedded data sets ({@code builtin:NAME}), read from the class path where the {@code datasets}
 * module puts them: the resource {@code dev/topiary/datasets/NAME.csv}, a header row with the target in
 * the last column. Core has no compile-time dependency on that module; it only needs it at run time.
 *
 * <p>The task of each known set is fixed here rather than inferred, because an integer-valued regression
 * target could pass for classes: iris, wine, breast_cancer, digits and penguins are classification;
 * diabetes and concrete are regression. A resource with a name not in this table is still loaded, with its
 * task inferred (see {@link LoadOptions.TaskChoice#INFER}).
 */
public final class BuiltinData {

  private static final String PREFIX = "dev/topiary/datasets/";

  /** Known names and whether each is classification. */
  private static final Map<String, Boolean> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put("iris", true);
    KNOWN.put("wine", true);
    KNOWN.put("breast_cancer", true);
    KNOWN.put("digits", true);
    KNOWN.put("penguins", true);
    KNOWN.put("diabetes", false);
    KNOWN.put("concrete", false);
  }

  private BuiltinData() {}

  /** The names of the known embedded data sets, in a fixed order. */
  public static List<String> names() {
    return List.copyOf(KNOWN.keySet());
  }

  /** The canonical form of a name: lower case, {@code -} read as {@code _} ({@code breast-cancer} works). */
  public static String canonical(String name) {
    return name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
  }

  /**
   * Loads the embedded data set {@code name}; the data set is named {@code builtin:NAME}.
   *
   * @throws NoSuchFileException when no such data set is on the class path; the message lists the names
   *     that are known and says whether the datasets module is missing altogether
   * @throws DataFormatException when the embedded CSV is malformed (a broken build)
   */
  public static Dataset load(String name) throws IOException {
    return load(name, BuiltinData::open);
  }

  /** Loads through the given resource lookup (a path without leading slash to a stream, or null). */
  static Dataset load(String name, Function<String, InputStream> resources) throws IOException {
    String id = canonical(name);
    String source = "builtin:" + id;
    if (!id.matches("[a-z0-9_]+")) {
      throw new NoSuchFileException(source, null, "not a data set name; available: " + String.join(", ", names()));
    }
    Boolean classification = KNOWN.get(id);
    LoadOptions options = LoadOptions.DEFAULTS.withTask(classification == null
        ? LoadOptions.TaskChoice.INFER
        : classification ? LoadOptions.TaskChoice.CLASSIFICATION : LoadOptions.TaskChoice.REGRESSION);
    try (InputStream in = resources.apply(PREFIX + id + ".csv")) {
      if (in == null) {
        String why = classification != null || !exists(resources, PREFIX + "iris.csv")
            ? "the embedded data sets are not on the class path (add the topiary-datasets module)"
            : "no embedded data set by that name";
        throw new NoSuchFileException(source, null, why + "; available: " + String.join(", ", names()));
      }
      return CsvLoader.read(in, source, options).dataset();
    }
  }

  private static boolean exists(Function<String, InputStream> resources, String resource) throws IOException {
    try (InputStream in = resources.apply(resource)) {
      return in != null;
    }
  }

  /** The resource from the context class loader, else the one that loaded core, else the system one. */
  private static InputStream open(String resource) {
    ClassLoader[] loaders = {Thread.currentThread().getContextClassLoader(), BuiltinData.class.getClassLoader(),
        ClassLoader.getSystemClassLoader()};
    for (ClassLoader loader : loaders) {
      if (loader != null) {
        InputStream in = loader.getResourceAsStream(resource);
        if (in != null) {
          return in;
        }
      }
    }
    return null;
  }
}
