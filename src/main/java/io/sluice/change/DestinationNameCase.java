package io.sluice.change;

/**
 * A change sink whose destination has its own default capitalization of object names (DTS's default policy): the
 * source applies it when the link's {@code objectNameCase} is {@code dts-default}. A sink that does not implement
 * this gets the source's names unchanged.
 */
public interface DestinationNameCase {

    /** {@link ObjectNameCase#SOURCE}, {@link ObjectNameCase#LOWERCASE} or {@link ObjectNameCase#UPPERCASE}. */
    ObjectNameCase dtsDefaultNameCase();

    /**
     * A change source that applies the names' capitalization. A source never asks for its sink: the control plane,
     * which knows both ends of a link, hands it the sink's {@link #dtsDefaultNameCase} before the source starts
     * ({@link ObjectNameCase#SOURCE} for a sink without one).
     */
    interface Source {

        void destinationNameCase(ObjectNameCase sinkDefault);
    }
}
