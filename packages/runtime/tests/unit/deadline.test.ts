import { describe, expect, it } from "vitest";
import { planDeadline } from "../../src/deadline.js";

describe("planDeadline", () => {
  it("gives a 900 s invocation 60 s of grace and kills 10 s before the deadline", () => {
    const plan = planDeadline(900_000, 0);

    expect(plan).toEqual({ deadlineMs: 900_000, graceMs: 60_000, interruptAt: 840_000, killAt: 890_000 });
  });

  it("scales the grace down for a short test timeout", () => {
    const plan = planDeadline(10_000, 0);

    expect(plan.graceMs).toBe(1_500);
    expect(plan.killAt).toBe(9_500);
  });

  it("uses a configured grace", () => {
    expect(planDeadline(60_000, 0, 5_000).interruptAt).toBe(55_000);
  });

  it("interrupts before it kills", () => {
    const plan = planDeadline(3_000, 0);

    expect(plan.interruptAt).toBeLessThan(plan.killAt);
    expect(plan.killAt).toBeLessThan(plan.deadlineMs);
  });
});
