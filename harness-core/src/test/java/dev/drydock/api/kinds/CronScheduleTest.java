package dev.drydock.api.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Schedules as robfig/cron's standard parser, which kube validates CronJobs with, reads them. */
class CronScheduleTest {

    @ParameterizedTest
    @ValueSource(strings = {"* * * * *", "0 0 * * 0", "5 4 * * sun", "0 22 * * 1-5", "0 0,12 1 */2 *",
        "15 14 1 * *", "0 9-17/2 * JAN-MAR MON", "@yearly", "@annually", "@monthly", "@weekly", "@daily",
        "@midnight", "@hourly", "@every 1h30m", "@every 500ms", "TZ=UTC 0 0 * * *", "CRON_TZ=Asia/Tokyo @daily",
        "? * * * *", "0 0 1,,15 * *"})
    void acceptsWhatRobfigCronAccepts(String schedule) {
        assertThat(CronSchedule.check(schedule)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|empty spec string",
        "* * * *|expected exactly 5 fields, found 4: [* * * *]",
        "* * * * * *|expected exactly 5 fields, found 6: [* * * * * *]",
        "60 * * * *|end of range (60) above maximum (59): 60",
        "* 24 * * *|end of range (24) above maximum (23): 24",
        "* * 0 * *|beginning of range (0) below minimum (1): 0",
        "* * * 13 *|end of range (13) above maximum (12): 13",
        "* * * * 7|end of range (7) above maximum (6): 7",
        "5-1 * * * *|beginning of range (5) beyond end of range (1): 5-1",
        "*/0 * * * *|step of range should be a positive number: */0",
        "1-2-3 * * * *|too many hyphens: 1-2-3",
        "*/2/3 * * * *|too many slashes: */2/3",
        "x * * * *|failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax",
        "* * * * funday|failed to parse int from funday: strconv.Atoi: parsing \"funday\": invalid syntax",
        "-1 * * * *|failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax",
        "@every|unrecognized descriptor: @every",
        "@every 5x|failed to parse duration @every 5x: time: unknown unit \"x\" in duration \"5x\"",
        "@every 5|failed to parse duration @every 5: time: missing unit in duration \"5\"",
        "TZ=Nowhere/City * * * * *|provided bad location Nowhere/City: unknown time zone Nowhere/City"})
    void refusesWhatItRefusesWithItsWords(String schedule, String why) {
        assertThat(CronSchedule.check(schedule)).isEqualTo(why);
    }
}
