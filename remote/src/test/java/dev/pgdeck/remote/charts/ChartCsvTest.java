package dev.pgdeck.remote.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChartCsvTest {
    private static final LocalDate D = LocalDate.of(2026, 3, 2); // a Monday

    @Test
    void timeSeriesWithThePreviousPeriod() throws Exception {
        DateRange range = new DateRange(D, D.plusDays(1));
        ChartData data = new ChartData(Chart.PAGEVIEWS, range, Interval.DAY,
                new ChartSeries("Page views", List.of(ChartPoint.at(D, 150, false), ChartPoint.at(D.plusDays(1), 7, true))),
                new ChartSeries("Page views", List.of(ChartPoint.at(D.minusDays(2), 100, false),
                        ChartPoint.at(D.minusDays(1), 0, false))),
                Duration.ZERO);
        StringWriter out = new StringWriter();
        ChartCsv.write(data, out);
        assertEquals("date,value,incomplete,previous,change_pct\r\n"
                + "2026-03-02,150,false,100,50.00\r\n"
                + "2026-03-03,7,true,0,\r\n", out.toString());
        assertEquals(157, data.figure());
        assertEquals(100, data.previousFigure());
        assertEquals(57.0, data.percentChange(), 1e-9);
    }

    @Test
    void categoriesAreQuotedWhenNeeded() throws Exception {
        ChartData data = new ChartData(Chart.TOP_PAGES, new DateRange(D, D), Interval.DAY,
                new ChartSeries("Top pages", List.of(ChartPoint.of("/a,b", 3, false), ChartPoint.of("/\"q\"", 1, false))),
                null, Duration.ZERO);
        StringWriter out = new StringWriter();
        ChartCsv.write(data, out);
        assertEquals("category,value,incomplete\r\n\"/a,b\",3,false\r\n\"/\"\"q\"\"\",1,false\r\n", out.toString());
        assertNull(data.percentChange());
    }

    @Test
    void usersFigureIsTheMeanAndRangesAndBucketsAreUtcDays() {
        ChartSeries users = new ChartSeries("u", List.of(ChartPoint.at(D, 10, false), ChartPoint.at(D, 20, false)));
        assertEquals(15, Chart.DAU.figure(users));
        DateRange range = new DateRange(D, D.plusDays(29));
        assertEquals(30, range.days());
        assertEquals(new DateRange(D.minusDays(30), D.minusDays(1)), range.previous());
        assertEquals(D, Interval.WEEK.bucketStart(D.plusDays(6)));
        assertEquals(D.withDayOfMonth(1), Interval.MONTH.bucketStart(D));
        assertEquals(D.plusWeeks(1), Interval.WEEK.bucketEnd(D));
    }
}
