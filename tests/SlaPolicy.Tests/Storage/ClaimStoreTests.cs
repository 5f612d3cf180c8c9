namespace SlaPolicy.Tests.Storage;

/// <summary>The claims lifecycle in the store (migration 14): owed, claimed, settled, expired; on every store.</summary>
public class ClaimStoreTests
{
    private static readonly DateTimeOffset Night = DateTimeOffset.Parse("2026-12-01T02:00:00Z", CultureInfo.InvariantCulture);

    private static CreditClaim Claim(string party, decimal amount, string? until, AgreementDirection direction = AgreementDirection.Customer, string period = "2026-11") => new(
        period, party, party + "-sla", "USD", direction, amount, until is null ? null : DateTimeOffset.Parse(until, CultureInfo.InvariantCulture), true, true,
        [new ExplanationStep("total", $"credits before the customer cap: USD {amount:0.00}")]);

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void WriteClaims_SameTwice_ChangesNothing_AndListsByDeadline(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        CreditClaim[] claims = [Claim("globex", 260.00m, "2027-02-01T00:00:00Z"), Claim("fibrelink", 562.50m, "2027-01-01T00:00:00Z", AgreementDirection.Supplier), Claim("acme", 120m, null)];

        store.WriteClaims(["2026-11"], claims, 1, Night).ShouldBe(3);
        store.WriteClaims(["2026-11"], claims, 2, Night).ShouldBe(0);

        // The earliest deadline first; a claim without deadline last.
        var listed = store.QueryClaims(new ClaimQuery(Night));
        listed.Select(c => c.Claim.Party).ShouldBe(["fibrelink", "globex", "acme"]);
        listed[0].Claim.ShouldBe(claims[1] with { Explanation = listed[0].Claim.Explanation });
        listed[0].Claim.Explanation.ShouldBe(claims[1].Explanation);
        listed[0].RunId.ShouldBe(1);
        listed.ShouldAllBe(c => c.StoredStatus == ClaimStatus.Owed);
        store.CountClaims(new ClaimQuery(Night, Direction: AgreementDirection.Supplier)).ShouldBe(1);
        store.QueryClaims(new ClaimQuery(Night, Party: "globex")).ShouldHaveSingleItem().Claim.Amount.ShouldBe(260.00m);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Lifecycle_OwedClaimedSettled_AndExpiredAfterTheDeadline(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        store.WriteClaims(["2026-11"], [Claim("globex", 260.00m, "2027-02-01T00:00:00Z"), Claim("initech", 5.00m, "2026-12-31T00:00:00Z")], 1, Night);
        var globex = store.QueryClaims(new ClaimQuery(Night, Party: "globex")).Single();
        var initech = store.QueryClaims(new ClaimQuery(Night, Party: "initech")).Single();

        // Claimed on 10 December, settled on 5 January with the credit note's number.
        var claimed = store.MarkClaim(globex.Id, ClaimStatus.Claimed, DateTimeOffset.Parse("2026-12-10T09:00:00Z", CultureInfo.InvariantCulture), "ticket 4711");
        claimed.Outcome.ShouldBe(ClaimMarkOutcome.Marked);
        store.MarkClaim(globex.Id, ClaimStatus.Claimed, Night, null).Outcome.ShouldBe(ClaimMarkOutcome.Refused);
        store.MarkClaim(globex.Id, ClaimStatus.Settled, DateTimeOffset.Parse("2027-01-05T09:00:00Z", CultureInfo.InvariantCulture), "CN-2027-0003").Outcome.ShouldBe(ClaimMarkOutcome.Marked);
        store.MarkClaim(globex.Id, ClaimStatus.Settled, Night, null).Reason.ShouldBe("the claim is settled already");
        store.MarkClaim(999_999, ClaimStatus.Claimed, Night, null).Outcome.ShouldBe(ClaimMarkOutcome.NotFound);

        var settled = store.QueryClaims(new ClaimQuery(Night, Status: ClaimStatus.Settled)).ShouldHaveSingleItem();
        settled.Id.ShouldBe(globex.Id);
        settled.ClaimedAt.ShouldBe(DateTimeOffset.Parse("2026-12-10T09:00:00Z", CultureInfo.InvariantCulture));
        settled.SettledAt.ShouldBe(DateTimeOffset.Parse("2027-01-05T09:00:00Z", CultureInfo.InvariantCulture));
        settled.Note.ShouldBe("CN-2027-0003");

        // initech's claim was never claimed: owed until 2026-12-31 00:00Z, expired from then on; no longer claimable.
        var january = DateTimeOffset.Parse("2027-01-02T00:00:00Z", CultureInfo.InvariantCulture);
        store.QueryClaims(new ClaimQuery(Night, Status: ClaimStatus.Owed)).ShouldHaveSingleItem().Id.ShouldBe(initech.Id);
        store.QueryClaims(new ClaimQuery(january, Status: ClaimStatus.Owed)).ShouldBeEmpty();
        store.QueryClaims(new ClaimQuery(january, Status: ClaimStatus.Expired)).ShouldHaveSingleItem().StatusAt(january).ShouldBe(ClaimStatus.Expired);
        var late = store.MarkClaim(initech.Id, ClaimStatus.Claimed, january, null);
        late.Outcome.ShouldBe(ClaimMarkOutcome.Refused);
        late.Reason.ShouldBe("the claim's deadline passed on 2026-12-30: it can no longer be claimed");
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void WriteClaims_AClaimedOneKeepsItsAmount_AnOwedOneNoLongerOwedIsRemoved(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        store.WriteClaims(["2026-11"], [Claim("globex", 260.00m, "2027-02-01T00:00:00Z"), Claim("initech", 5.00m, "2026-12-31T00:00:00Z")], 1, Night);
        var globex = store.QueryClaims(new ClaimQuery(Night, Party: "globex")).Single();
        store.MarkClaim(globex.Id, ClaimStatus.Claimed, Night, null);

        // A later night computes globex at 300.00 and initech at nothing: the claimed amount stands, initech's owed claim goes.
        store.WriteClaims(["2026-11"], [Claim("globex", 300.00m, "2027-02-01T00:00:00Z")], 2, Night.AddDays(1)).ShouldBe(1);

        var left = store.QueryClaims(new ClaimQuery(Night)).ShouldHaveSingleItem();
        left.Claim.Amount.ShouldBe(260.00m);
        left.StoredStatus.ShouldBe(ClaimStatus.Claimed);
        left.RunId.ShouldBe(1);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Subscriptions_BilledAndDatesRoundTrip(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        var billed = new SubscriptionRecord("globex", "standard", "eu-west", "object-storage", null, "USD")
        {
            Billed = 900.00m,
            SubscribedFrom = DateTimeOffset.Parse("2026-11-11T00:00:00+01:00", CultureInfo.InvariantCulture),
            SubscribedUntil = DateTimeOffset.Parse("2027-11-11T00:00:00Z", CultureInfo.InvariantCulture),
        };
        var plain = new SubscriptionRecord("acme", "gold", "eu-west", "email", 1200.00m, "EUR");

        store.Ingest(new RecordBatch([], [], [billed, plain], [], [], Night));

        var read = store.ReadSubscriptions();
        read.Single(s => s.Customer == "globex").ShouldBe(billed);
        read.Single(s => s.Customer == "acme").ShouldBe(plain);
    }
}
