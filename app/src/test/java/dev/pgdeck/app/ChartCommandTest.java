package dev.pgdeck.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `pgdeck chart` in-process against the test sandbox. */
class ChartCommandTest {
    @TempDir
    Path dir;

    @Test
    void dauAsCsvAndPng() throws Exception {
        LocalDate to = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        LocalDate from = to.minusDays(13);
        Path csv = dir.resolve("dau.csv");
        Path png = dir.resolve("dau.png");
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new PgdeckCommand()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err))
                .execute("chart", "dau", "--from", from.toString(), "--to", to.toString(), "--csv", csv.toString(),
                        "--png", png.toString(), "--size", "640x400");
        assertEquals(0, exit, err::toString);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("date,value,incomplete", lines.get(0));
        assertEquals(15, lines.size());
        assertTrue(lines.get(1).startsWith(from + ","), lines.get(1));
        long total = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals("false", f[2], "a past day marked incomplete: " + line);
            total += Long.parseLong(f[1]);
        }
        assertTrue(total > 0, "no active users at all");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertEquals(640, image.getWidth());
        assertEquals(400, image.getHeight());
    }

    @Test
    void unknownChartIsAUsageError() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new PgdeckCommand()).setErr(new PrintWriter(err)).execute("chart", "nope");
        assertEquals(64, exit);
        assertTrue(err.toString().contains("unknown chart"), err.toString());
    }
}
