package dev.topiary.pruning.surgery;

import dev.topiary.pruning.units.LayerAddress;

/**
 * The size of one dense layer before and after pruning (all zero after when its residual block was
 * removed). Parameters are weights plus biases; FLOPs follow {@link dev.topiary.core.model.Layer#flops()}:
 * 2·out·in + out (bias) + out (activation, unless the identity) per example.
 *
 * @param layer the layer's address in the network before pruning
 * @param unitsBefore output width before
 * @param unitsAfter output width after
 * @param parametersBefore weights plus biases before
 * @param parametersAfter weights plus biases after
 * @param flopsBefore floating-point operations per example before
 * @param flopsAfter floating-point operations per example after
 */
public record LayerSize(LayerAddress layer, int unitsBefore, int unitsAfter, long parametersBefore,
    long parametersAfter, long flopsBefore, long flopsAfter) {}
