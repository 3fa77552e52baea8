package dev.pipeline.reply.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class StreamHubTest {

    private final StreamHub hub = new StreamHub(3);

    private StreamHub.Subscription subscribe(String client) {
        return ((StreamHub.Admission.Admitted) hub.subscribe(Optional.ofNullable(client))).subscription();
    }

    @Test
    void aStoredBatchWakesTheStreamsOfItsClientsAndThoseFollowingEveryone() throws InterruptedException {
        StreamHub.Subscription alice = subscribe("alice");
        StreamHub.Subscription bob = subscribe("bob");
        StreamHub.Subscription everyone = subscribe(null);

        hub.published(List.of("alice", "alice"));

        assertThat(alice.await(Duration.ZERO)).isTrue();
        assertThat(everyone.await(Duration.ZERO)).isTrue();
        assertThat(bob.await(Duration.ZERO)).isFalse();
        // one wake-up however many batches came: the stream reads everything new at once
        assertThat(alice.await(Duration.ZERO)).isFalse();
    }

    @Test
    void aClosedSubscriptionLeavesNoEntryAndFreesItsPlace() {
        StreamHub.Subscription first = subscribe("alice");
        subscribe("bob");
        subscribe("carol");
        assertThat(hub.subscribe(Optional.of("dave"))).isEqualTo(new StreamHub.Admission.Full(3));

        first.close();
        first.close();

        assertThat(hub.open()).isEqualTo(2);
        assertThat(hub.subscribe(Optional.of("dave"))).isInstanceOf(StreamHub.Admission.Admitted.class);
    }

    @Test
    void closingTheHubEndsAndWakesEveryStream() throws InterruptedException {
        StreamHub.Subscription alice = subscribe("alice");

        hub.close();

        assertThat(alice.await(Duration.ofSeconds(5))).isTrue();
        assertThat(alice.ended()).isTrue();
        assertThat(hub.subscribe(Optional.of("alice"))).isEqualTo(new StreamHub.Admission.Closed());
    }
}
