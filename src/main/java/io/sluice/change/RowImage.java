package io.sluice.change;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A row image as the binlog path builds it: the values of a change's columns in table order, read-only. A
 * {@code LinkedHashMap} per image cost an entry object per value and a hash per lookup; the encoders look values up by
 * the {@link ChangeColumn#name()} of the same column list the image was built from, which this finds by identity at
 * the column's own index (other keys are compared by {@code equals}). Iterates in column order, like the map it
 * replaces, and equals any map with the same entries.
 */
public final class RowImage extends AbstractMap<String, Object> {

    private final List<ChangeColumn> columns;
    private final Object[] values;

    /** {@code values[i]} is the value of {@code columns.get(i)}; the array is not copied. */
    public RowImage(List<ChangeColumn> columns, Object[] values) {
        if (columns.size() != values.length) {
            throw new IllegalArgumentException(columns.size() + " columns, " + values.length + " values");
        }
        this.columns = columns;
        this.values = values;
    }

    /** The column list the values are aligned with. */
    public List<ChangeColumn> columns() {
        return columns;
    }

    /** The value of the {@code i}-th column of {@link #columns()}. */
    public Object valueAt(int i) {
        return values[i];
    }

    /** The same values under other names: {@code renamed} lists this image's columns, in order, renamed. */
    RowImage withColumns(List<ChangeColumn> renamed) {
        return new RowImage(renamed, values);
    }

    private int indexOf(Object key) {
        for (int i = 0; i < values.length; i++) {
            if (columns.get(i).name() == key) {
                return i;
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (columns.get(i).name().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= values.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(columns.get(i).name(), values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }
}
