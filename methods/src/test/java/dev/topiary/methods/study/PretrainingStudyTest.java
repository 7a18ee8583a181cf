package dev.topiary.methods.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Split;
import dev.topiary.methods.RecipeListener;
import dev.topiary.methods.compare.Budget;
import java.util.List;
import org.junit.jupiter.api.Test;

class PretrainingStudyTest {

  @Test
  void checkpointsDoubleUpToTheTrainingEpochs() {
    StudyConfig c = StudyConfig.defaults().withBudget(Budget.small().withEpochs(10, 2));
    assertArrayEquals(new int[] {1, 2, 4, 8, 10}, c.checkpointEpochs());
    assertArrayEquals(new int[] {1, 2, 4, 8, 16, 32, 64}, StudyConfig.defaults().checkpointEpochs());
  }

  @Test
  void bothAxesArePrunedAtTheSameBudget() throws Exception {
    Split split = Split.of(DataSources.load("builtin:iris").train(), 5);
    StudyConfig c = StudyConfig.defaults().withBudget(Budget.small().withHidden(12, 12).withEpochs(4, 2))
        .withDataFractions(0.25, 1.0);
    StudyReport r = PretrainingStudy.run(split, c, RecipeListener.none());
    List<StudyReport.Point> pre = r.along(StudyReport.Axis.PRETRAINING);
    List<StudyReport.Point> data = r.along(StudyReport.Axis.DATA_SIZE);
    assertEquals(3 * 2, pre.size()); // epochs 1, 2, 4 × two methods
    assertEquals(2 * 2, data.size());
    long stepsPerEpoch = (split.train().rows() + 15) / 16;
    for (StudyReport.Point p : pre) {
      assertEquals(p.epochs() * stepsPerEpoch, p.iterations());
      assertEquals(split.train().rows(), p.rows());
      assertTrue(p.parametersKept() <= 0.3 + 1e-9, p.toString());
    }
    assertEquals((int) Math.ceil(0.25 * split.train().rows()), data.get(0).rows());
    assertEquals(1 + pre.size() + data.size(), r.toCsv().split("\n").length);
  }
}
