package org.jdissect.dissect;

import java.awt.image.BufferedImage;

import org.jdissect.data.BrodenDataset;
import org.jdissect.data.ImageDecoder;
import org.jdissect.data.ImageFolder;

/**
 * The dissected images, read back by source row (the report draws thumbnails of the top images): a Broden dataset's
 * rows or an image folder's files. Safe for concurrent reads with one decoder per thread.
 */
public interface ImageStore {
    /** Decodes the image of {@code row} with {@code decoder} (one per thread, or null). */
    BufferedImage read(int row, ImageDecoder decoder);

    /** How many rows there are: a valid row is {@code 0 .. size() - 1}. */
    int size();

    /** The image's name, as report.json and topk.csv give it. */
    String name(int row);

    /** Where the images are, for messages. */
    String where();

    static ImageStore of(BrodenDataset dataset) {
        return new ImageStore() {
            @Override
            public BufferedImage read(int row, ImageDecoder decoder) {
                return dataset.readImage(row, decoder);
            }

            @Override
            public int size() {
                return dataset.size();
            }

            @Override
            public String name(int row) {
                return dataset.row(row).image();
            }

            @Override
            public String where() {
                return dataset.directory().toString();
            }
        };
    }

    static ImageStore of(ImageFolder folder) {
        return new ImageStore() {
            @Override
            public BufferedImage read(int row, ImageDecoder decoder) {
                return folder.read(row, decoder);
            }

            @Override
            public int size() {
                return folder.size();
            }

            @Override
            public String name(int row) {
                return folder.name(row);
            }

            @Override
            public String where() {
                return folder.directory().toString();
            }
        };
    }
}
