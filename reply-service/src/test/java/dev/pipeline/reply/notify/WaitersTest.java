package dev.pipeline.reply.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;

import dev.pipeline.core.message.RequestId;

class WaitersTest {

    private static final RequestId ID = new RequestId("r-1");

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final Waiters waiters = new Waiters(3, clock);

    private Waiters.Registration admitted(RequestId id, Duration wait) {
        return ((Waiters.Admission.Admitted) waiters.register(id, wait)).registration();
    }

    @Test
    void anArrivingReplyCompletesEveryWaiterOfItsIdAndLeavesNoEntry() {
        Waiters.Registration first = admitted(ID, Duration.ofSeconds(10));
        Waiters.Registration second = admitted(ID, Duration.ofSeconds(30));
        Waiters.Registration other = admitted(new RequestId("r-2"), Duration.ofSeconds(10));

        waiters.arrived(ID, "{\"json\":1}");

        assertThat(first.reply()).isCompletedWithValue("{\"json\":1}");
        assertThat(second.reply()).isCompletedWithValue("{\"json\":1}");
        assertThat(other.reply()).isNotDone();
        assertThat(waiters.pendingIds()).isEqualTo(1);
        first.close();
        second.close();
        other.close();
        assertThat(waiters.pendingIds()).isZero();
        assertThat(waiters.waiting()).isZero();
    }

    @Test
    void theLastWaiterToGiveUpRemovesTheEntry() {
        Waiters.Registration first = admitted(ID, Duration.ofSeconds(10));
        Waiters.Registration second = admitted(ID, Duration.ofSeconds(10));

        first.close();
        first.close(); // idempotent: must not release the other's place

        assertThat(waiters.pendingIds()).isEqualTo(1);
        assertThat(waiters.waiting()).isEqualTo(1);
        second.close();
        assertThat(waiters.pendingIds()).isZero();
        assertThat(waiters.waiting()).isZero();
    }

    @Test
    void aWaiterOfAnEarlierEntryDoesNotReleaseANewerOne() {
        Waiters.Registration early = admitted(ID, Duration.ofSeconds(10));
        waiters.arrived(ID, "{}");
        Waiters.Registration late = admitted(ID, Duration.ofSeconds(10));

        early.close();

        assertThat(waiters.pendingIds()).isEqualTo(1);
        waiters.arrived(ID, "{\"again\":true}");
        assertThat(late.reply()).isCompletedWithValue("{\"again\":true}");
        late.close();
    }

    @Test
    void theSweepRemovesEntriesOnlyOncePastTheirLatestDeadlineAndGrace() {
        admitted(ID, Duration.ofSeconds(10));
        admitted(ID, Duration.ofSeconds(20));
        admitted(new RequestId("r-2"), Duration.ofSeconds(5));

        clock.advance(Duration.ofSeconds(10).plus(Waiters.SWEEP_GRACE).plusMillis(1));
        assertThat(waiters.sweep()).isEqualTo(1); // r-2 only: r-1 has a waiter until 20 s

        clock.advance(Duration.ofSeconds(10));
        assertThat(waiters.sweep()).isEqualTo(1);
        assertThat(waiters.pendingIds()).isZero();
    }

    @Test
    void theSweepKeepsEntriesWithinTheirWait() {
        admitted(ID, Duration.ofSeconds(60));

        clock.advance(Duration.ofSeconds(59));

        assertThat(waiters.sweep()).isZero();
        assertThat(waiters.pendingIds()).isEqualTo(1);
    }

    @Test
    void remainingTimeFollowsTheClock() {
        Waiters.Registration registration = admitted(ID, Duration.ofSeconds(10));

        clock.advance(Duration.ofSeconds(4));
        assertThat(registration.remaining()).isEqualTo(Duration.ofSeconds(6));
        clock.advance(Duration.ofSeconds(7));
        assertThat(registration.remaining()).isEqualTo(Duration.ZERO);
    }

    @Test
    void waitersOverTheCapAreRefusedUntilOneLeaves() {
        Waiters.Registration first = admitted(new RequestId("a"), Duration.ofSeconds(1));
        admitted(new RequestId("b"), Duration.ofSeconds(1));
        admitted(new RequestId("c"), Duration.ofSeconds(1));

        assertThat(waiters.register(new RequestId("d"), Duration.ofSeconds(1))).isEqualTo(new Waiters.Admission.Full(3));
        first.close();
        assertThat(waiters.register(new RequestId("d"), Duration.ofSeconds(1))).isInstanceOf(Waiters.Admission.Admitted.class);
    }

    @Test
    void closingCancelsEveryWaitAndRefusesNewOnes() {
        Waiters.Registration registration = admitted(ID, Duration.ofSeconds(10));

        waiters.close();

        assertThat(registration.reply()).isCompletedExceptionally();
        assertThatThrownBy(() -> registration.reply().get()).isInstanceOf(CancellationException.class);
        assertThat(waiters.register(ID, Duration.ofSeconds(1))).isEqualTo(new Waiters.Admission.Closed());
        assertThat(waiters.pendingIds()).isZero();
    }
}
