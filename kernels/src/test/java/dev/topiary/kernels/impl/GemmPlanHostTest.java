package dev.topiary.kernels.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GemmPlan#host}'s reading of {@code -Dtopiary.gemm.rows}: a tile this JVM can run replaces the
 * host's, and one it cannot is refused with a message that names the property, rather than with the
 * constructor's bare complaint.
 */
class GemmPlanHostTest {

  @AfterEach
  void clearProperty() {
    System.clearProperty(GemmPlan.ROWS_PROPERTY);
  }

  @Test
  void rowsPropertySetsTheTileOrNamesItselfWhenItCannot() {
    System.setProperty(GemmPlan.ROWS_PROPERTY, "6");
    GemmPlan six = GemmPlan.host(256);
    assertEquals(6, six.rows());
    assertTrue(six.name().contains("rows set by -D" + GemmPlan.ROWS_PROPERTY), six.name());
    System.setProperty(GemmPlan.ROWS_PROPERTY, "3");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmPlan.host(256));
    assertTrue(e.getMessage().startsWith("-D" + GemmPlan.ROWS_PROPERTY + "=3 cannot run here: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("8, 6, 5 or 4 rows"), e.getMessage());
  }
}
