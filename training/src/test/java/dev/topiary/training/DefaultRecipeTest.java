package dev.topiary.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default network and recipe chosen from the shape of the data. */
class DefaultRecipeTest {

  private static final Task THREE_CLASSES = Task.classification(List.of("a", "b", "c"));
  private static final Task REGRESSION = Task.regression(1);

  @Test
  void smallSetsGetTwoLayersOf128Tanh() {
    for (int rows : new int[] {1, 105, 1_257, DefaultRecipe.SMALL_ROWS - 1}) {
      for (Task task : List.of(THREE_CLASSES, REGRESSION)) {
        DefaultRecipe r = DefaultRecipe.forData(task, rows, 64);
        assertArrayEquals(new int[] {128, 128}, r.hidden(), "rows " + rows);
        assertEquals(Activation.TANH, r.activation(), "rows " + rows);
        assertTrue(r.rule().contains("2 x 128 tanh"), r.rule());
      }
    }
  }

  @Test
  void largeSetsGetThreeLayersOf256Relu() {
    for (int rows : new int[] {DefaultRecipe.SMALL_ROWS, 7_000, 49_200, 1_000_000}) {
      DefaultRecipe r = DefaultRecipe.forData(THREE_CLASSES, rows, 36);
      assertArrayEquals(new int[] {256, 256, 256}, r.hidden(), "rows " + rows);
      assertEquals(Activation.RELU, r.activation(), "rows " + rows);
      assertTrue(r.rule().contains("3 x 256 relu"), r.rule());
    }
  }

  @Test
  void theTrainingRecipeIsTheRowCountsDefault() {
    for (int rows : new int[] {150, 5_000, 50_000}) {
      DefaultRecipe r = DefaultRecipe.forData(THREE_CLASSES, rows, 10);
      assertEquals(TrainingConfig.defaults(THREE_CLASSES, rows), r.config());
    }
    // Large classification sets stop on validation accuracy, small ones and regression on the loss.
    assertEquals(Metric.ACCURACY, DefaultRecipe.forData(THREE_CLASSES, 50_000, 10).config().earlyStopping().metric());
    assertEquals(null, DefaultRecipe.forData(THREE_CLASSES, 5_000, 10).config().earlyStopping().metric());
    assertEquals(null, DefaultRecipe.forData(REGRESSION, 50_000, 10).config().earlyStopping().metric());
  }

  @Test
  void theNetworkHasTheChosenShape() {
    Network small = DefaultRecipe.forData(THREE_CLASSES, 300, 7).network(7, THREE_CLASSES, 1);
    assertEquals("7-128-128-3", small.describe());
    Network large = DefaultRecipe.forData(REGRESSION, 20_000, 5).network(5, REGRESSION, 1);
    assertEquals("5-256-256-256-1", large.describe());
  }

  @Test
  void hiddenWidthsCannotBeChangedFromOutside() {
    DefaultRecipe r = DefaultRecipe.forData(THREE_CLASSES, 300, 7);
    r.hidden()[0] = 1;
    assertArrayEquals(new int[] {128, 128}, r.hidden());
  }

  @Test
  void rejectsEmptyData() {
    IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
        () -> DefaultRecipe.forData(THREE_CLASSES, 0, 4));
    assertTrue(rows.getMessage().contains("at least one row"), rows.getMessage());
    IllegalArgumentException features = assertThrows(IllegalArgumentException.class,
        () -> DefaultRecipe.forData(THREE_CLASSES, 10, 0));
    assertTrue(features.getMessage().contains("at least one feature"), features.getMessage());
  }
}
