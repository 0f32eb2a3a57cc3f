package dev.blocks.scheduler.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartGateTest {

    @Test
    void opensOnceEveryRunOfTheBatchHasStarted() {
        StartGate gate = new StartGate(3);
        StartGate.Ticket first = gate.ticket();
        StartGate.Ticket second = gate.ticket();
        StartGate.Ticket third = gate.ticket();
        first.started();
        second.started();
        assertThat(gate.opened()).isNotDone();
        third.started();
        assertThat(gate.opened()).isDone();
    }

    @Test
    void aRunCountsOnceHoweverOftenItSaysSo() {
        StartGate gate = new StartGate(2);
        StartGate.Ticket first = gate.ticket();
        first.started();
        first.started();
        assertThat(gate.opened()).isNotDone();
        gate.ticket().started();
        assertThat(gate.opened()).isDone();
    }

    @Test
    void aRunThatWaitsForTheGateCountsItselfAsStarted() throws InterruptedException {
        StartGate gate = new StartGate(1);
        gate.ticket().awaitStarts();
        assertThat(gate.opened()).isDone();
    }

    @Test
    void anEmptyBatchIsOpenAtOnce() {
        assertThat(new StartGate(0).opened()).isDone();
    }
}
