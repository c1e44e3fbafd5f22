"""Demo ideas and discussions for ``seed_demo`` (runs after accounts, before voting/funding).

Thirty-odd distinct product ideas by the demo members, meant for every state an idea can reach
without money: drafts, ideas in voting (published days or weeks ago, some closing soon), ideas
for review (the funding demo approves some of them), rejected, expired and withdrawn ones.
Discussions have threads, suggestions (some accepted, which records pending suggestion
claims) and one flagged comment waiting in the moderation queue. Votes are the voting demo's:
it votes the ideas meant for review or rejection (``IDEAS`` rows in ``VOTED_TO_REVIEW``) up to
their threshold, rejects those meant for rejection, then casts the rest of its votes.
Everything goes through the real services; only the dates are moved into the past afterwards
so the lists look lived-in.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User

from .models import Category, Comment, Idea, IdeaStatus, IdeaTransition
from .services import (
    comment_accept,
    comment_create,
    comment_hide,
    flag_create,
    idea_create,
    idea_publish,
    idea_withdraw,
)
from .transitions import idea_transition

# The states the voting demo reaches by voting an idea to its threshold (then rejecting some).
VOTED_TO_REVIEW = ("review", "rejected")
REJECTION_REASON = (
    "Similar products are already widely available at a lower price; the community's "
    "suggestions did not change that."
)

# A small demo community (two dozen members), so each category's threshold is small too:
# ideas in review really reached it, through the members' votes.
CATEGORIES = [
    ("Home & kitchen", "home-kitchen", 18),
    ("Outdoors", "outdoors", 16),
    ("Mobility", "mobility", 18),
    ("Kids & learning", "kids-learning", 15),
    ("Health & care", "health-care", 16),
    ("Energy", "energy", 18),
    ("Work & tools", "work-tools", 18),
    ("Pets", "pets", 12),
]

# (creator, title, summary, category slug, tags, problem, idea, bullets, question, state, days
#  since publishing). state: draft, voting, review, rejected, expired, withdrawn.
IDEAS = [
    ("creator", "Folding solar kettle",
     "Boils a litre of water with sunlight and folds flat into a backpack.",
     "outdoors", ["solar", "camping"],
     "Gas canisters are heavy, wasteful and not allowed on most flights.",
     "A parabolic reflector made of folding aluminium petals around a black steel kettle.",
     ["folds to 3 cm thick", "boils 1 l in about 25 minutes of full sun", "no fuel, no batteries"],
     "Is a 25-minute boil acceptable, or should we aim for a smaller 0.5 l version?",
     "review", 40),
    ("alice", "Bike lock that texts you",
     "A U-lock with a motion sensor that messages your phone when someone tampers with it.",
     "mobility", ["bike", "security"],
     "Stolen bikes are found too late: owners notice hours after the lock was cut.",
     "Put a cheap accelerometer and an LTE-M modem in the shackle's crossbar.",
     ["alerts within 5 seconds", "two-year battery", "works without Wi-Fi"],
     "Would you pay a small yearly fee for the mobile data?",
     "review", 35),
    ("bob", "Modular kids' desk that grows",
     "A desk whose legs and top extend in steps from age 4 to 14.",
     "kids-learning", ["furniture", "kids"],
     "Parents buy three desks before a child finishes school.",
     "Birch plywood frame with telescoping legs and a tilting top, flat-packed.",
     ["five height positions", "tilting drawing surface", "no tools needed to adjust"],
     "Should the top tilt or stay flat with a separate drawing board?",
     "review", 30),
    ("chen", "Refillable deodorant in a glass stick",
     "A glass twist-up case and compostable refills shipped in paper.",
     "health-care", ["zero-waste", "refill"],
     "Every stick of deodorant is a piece of plastic thrown away.",
     "A durable case you keep for years and refills that slide in like pencil leads.",
     ["glass and aluminium case", "paper-wrapped refills", "three scents and one unscented"],
     "Glass is heavy: would recycled aluminium be better?",
     "review", 28),
    ("dara", "Dog bowl that slows fast eaters",
     "A ceramic bowl with a maze insert so greedy dogs eat slower and bloat less.",
     "pets", ["dogs", "health"],
     "Fast eating causes bloating and vomiting; plastic slow-feeders scratch and smell.",
     "A heavy stoneware bowl with a removable, dishwasher-safe maze.",
     ["stoneware, not plastic", "removable maze", "three sizes"],
     "Which maze pattern do your dogs find too easy?",
     "review", 26),
    ("emeka", "Balcony wind turbine",
     "A quiet vertical-axis turbine for apartment balconies that feeds a plug-in battery.",
     "energy", ["wind", "apartment"],
     "Renters cannot install solar roofs but many have windy balconies.",
     "A 60 cm helical turbine clamped to the railing, charging a 500 Wh battery.",
     ["under 35 dB", "clamps without drilling", "charges phones and laptops"],
     "How windy is your balcony? We need real numbers from members.",
     "review", 24),
    ("farah", "Cordless glue gun with a stand",
     "A glue gun that heats in 60 seconds, runs on a USB-C battery and stands on its own.",
     "work-tools", ["crafts", "usb-c"],
     "Corded glue guns tip over, drip and burn tables.",
     "A weighted charging dock that doubles as a drip tray.",
     ["60-second heat-up", "USB-C charging", "auto-off after 10 minutes"],
     "Do you need two temperature settings?",
     "review", 22),
    ("goran", "Smart compost bin sensor",
     "A probe that tells you when your compost is too wet, too dry or too cold.",
     "home-kitchen", ["garden", "compost", "sensor"],
     "Home compost often turns into a smelly mess because nobody knows what is wrong.",
     "A stainless probe with temperature and moisture sensors and a simple app.",
     ["one-year battery", "plain-language tips", "works in any bin"],
     "Would you rather have an e-ink display on the probe than an app?",
     "review", 20),
    ("hana", "Reading light for shared bedrooms",
     "A neck light with an amber beam that lights your book and nothing else.",
     "home-kitchen", ["reading", "sleep"],
     "Bedside lamps wake partners and blue light keeps readers awake.",
     "Two flexible arms with focused amber LEDs and a page-sized beam.",
     ["amber light, no blue", "30 hours per charge", "silent touch dimmer"],
     "Neck light or clip-on? Tell us how you read in bed.",
     "review", 18),
    ("ivan", "Repairable electric toothbrush",
     "An electric toothbrush with a battery you can replace with a coin.",
     "health-care", ["repair", "right-to-repair"],
     "Electric toothbrushes are glued shut and thrown away when the battery dies.",
     "A screw-on base, a standard 18650 cell and spare parts sold for ten years.",
     ["replace the battery with a coin", "standard cell", "parts for ten years"],
     "Should we include a travel case?",
     "voting", 12),
    ("jun", "Collapsible laundry basket with wheels",
     "A laundry basket that rolls to the machine and folds flat behind the door.",
     "home-kitchen", ["laundry", "small-spaces"],
     "Carrying full baskets down stairs and corridors hurts backs.",
     "A silicone-walled basket with a telescoping handle and two wheels.",
     ["folds to 8 cm", "rolls on stairs' landings", "wipe-clean"],
     "How big is your usual load?",
     "voting", 10),
    ("kofi", "Rain poncho for cargo bikes",
     "A poncho that covers rider and child seat together, with a clear window for the child.",
     "mobility", ["bike", "rain", "kids"],
     "Parents on cargo bikes either get wet or leave the child under a sweaty cover.",
     "A shaped cape that clips to the handlebars and drapes over the front box.",
     ["clear child window", "packs into its pocket", "reflective edges"],
     "Which cargo bike models should the first size fit?",
     "voting", 9),
    ("lena", "Plant-watering spikes from recycled glass bottles",
     "Ceramic spikes that turn any wine bottle into a week-long plant waterer.",
     "home-kitchen", ["plants", "upcycling"],
     "Plants die during holidays; self-watering pots are expensive and plastic.",
     "Porous terracotta spikes that fit standard bottle necks.",
     ["fits 75 cl bottles", "waters for 7–10 days", "made in a local pottery"],
     "Should we sell them with a bottle-cutting guide for shorter bottles?",
     "voting", 8),
    ("mateo", "Tool belt for tradeswomen",
     "A tool belt cut for hips, not waists, with adjustable pouch positions.",
     "work-tools", ["workwear", "fit"],
     "Most tool belts are designed for men and dig into hips.",
     "A contoured belt with sliding pouches and suspenders that clip in.",
     ["contoured hip fit", "sliding pouches", "optional suspenders"],
     "Leather or waxed canvas?",
     "voting", 7),
    ("nadia", "Bird feeder camera that names the bird",
     "A feeder with a camera that recognises the species offline and keeps a diary.",
     "outdoors", ["birds", "camera", "privacy"],
     "Bird cameras upload everything to the cloud and need subscriptions.",
     "An on-device model recognising 300 European species, with a weekly summary.",
     ["works offline", "no subscription", "solar lid"],
     "Which region's birds should we train on first?",
     "voting", 6),
    ("oskar", "Magnetic spice rack for the fridge door",
     "Glass spice jars with magnetic lids that stick to the side of the fridge.",
     "home-kitchen", ["kitchen", "storage"],
     "Spice cupboards are full of duplicates nobody can see.",
     "Twelve jars with steel lids and erasable labels on a magnetic strip.",
     ["seen at a glance", "refillable", "dishwasher-safe jars"],
     "Six big jars or twelve small ones?",
     "voting", 5),
    ("priya", "Pocket translator for sign language learners",
     "A flash-card device that shows short sign videos for everyday words.",
     "kids-learning", ["sign-language", "learning"],
     "Apps are distracting; families learning to sign want something simple.",
     "A palm-sized e-ink device with looping clips and a quiz mode.",
     ["500 everyday signs", "no internet needed", "regional sign sets"],
     "Which sign languages should the first version include?",
     "voting", 4),
    ("quinn", "Heated seat pad for stadium benches",
     "A foldable pad that keeps you warm for a whole match on one charge.",
     "outdoors", ["football", "winter"],
     "Cold benches make winter matches miserable.",
     "A foam pad with a carbon-fibre heater and a power bank pocket.",
     ["3 heat levels", "4 hours on high", "folds into a bag"],
     "Would club colours make you buy it?",
     "voting", 3),
    ("rosa", "Cat water fountain you can take apart",
     "A fountain with no hidden corners, so it can be cleaned fully in the dishwasher.",
     "pets", ["cats", "hygiene"],
     "Pet fountains grow slime in places no brush reaches.",
     "Three stainless parts and a pump that clicks out.",
     ["dishwasher-safe", "quiet pump", "no filters to buy"],
     "Is 2 litres enough for multi-cat homes?",
     "voting", 2),
    ("sami", "Modular power strip with USB-C",
     "Snap-together sockets so you buy exactly as many outlets as you need.",
     "work-tools", ["desk", "usb-c"],
     "Desks end up with power strips daisy-chained under them.",
     "Modules with sockets, USB-C ports or switches that click onto a base.",
     ["mix outlets and USB-C", "surge protection per module", "mounts under the desk"],
     "Which country plugs should we start with?",
     "voting", 2),
    ("tomas", "Beach umbrella anchor that screws in",
     "A corkscrew anchor that keeps umbrellas in place in strong wind.",
     "outdoors", ["beach", "summer"],
     "Beach umbrellas fly away and hurt people.",
     "A wide-flight screw with a handle and a clamp for any pole.",
     ["holds in 40 km/h wind", "fits poles 2–4 cm", "packs in a bag"],
     "Plastic or aluminium?",
     "voting", 1),
    ("alice", "Child's first toolbox with real tools",
     "Small but real tools sized for children, with a workbook of weekend projects.",
     "kids-learning", ["kids", "tools", "diy"],
     "Toy tools teach nothing; adult tools are too big and dangerous.",
     "Scaled-down hammer, saw and screwdrivers with safety guards.",
     ["sized for ages 6–12", "project workbook", "lifetime replacement"],
     "Which projects should the workbook start with?",
     "voting", 55),
    ("bob", "Noise-cancelling sleep mask",
     "A soft mask with flat speakers and white noise, no cables.",
     "health-care", ["sleep", "travel"],
     "Earbuds hurt side sleepers; white-noise machines are bulky.",
     "Washable mask with removable flat speakers and a tiny controller.",
     ["fits side sleepers", "10 hours of noise", "washable"],
     "Which sounds help you sleep best?",
     "voting", 58),
    ("creator", "Electric cargo trailer for any bike",
     "A trailer with its own motor that follows your bike without straining it.",
     "mobility", ["bike", "cargo", "e-bike"],
     "Hauling groceries by bike is hard on hills; cargo bikes are expensive.",
     "A hitch sensor measures pull and a hub motor matches your speed.",
     ["carries 60 kg", "works with any bike", "folds for storage"],
     "Is 60 kg enough for your weekly shop?",
     "voting", 15),
    ("chen", "Edible cutlery for festivals",
     "Spoons and forks baked from grain that hold up in hot food for 20 minutes.",
     "home-kitchen", ["food", "zero-waste"],
     "Festivals throw away tens of thousands of plastic forks.",
     "Baked from sorghum and wheat, plain or spiced.",
     ["lasts 20 minutes in soup", "compostable", "sold by the thousand"],
     "Would festivals pay twice the price of plastic?",
     "rejected", 45),
    ("dara", "Smart water bottle with hydration reminders",
     "A bottle that glows when you should drink.",
     "health-care", ["hydration"],
     "People forget to drink during long work days.",
     "A lid with a sip counter and a glowing ring.",
     ["glows on schedule", "counts sips", "app sync"],
     "Is glowing too distracting in meetings?",
     "rejected", 50),
    ("emeka", "Desk treadmill that folds into a rug",
     "An under-desk walking pad thin enough to roll up.",
     "work-tools", ["fitness", "home-office"],
     "Walking pads are heavy and take space in small flats.",
     "A belt on flexible slats that rolls up like a yoga mat.",
     ["4 km/h max", "rolls up", "quiet motor"],
     "Would you walk while working?",
     "expired", 75),
    ("farah", "Self-heating lunch box",
     "A lunch box that warms your meal with a tiny chemical heater.",
     "home-kitchen", ["food", "office"],
     "Office microwaves have queues.",
     "A replaceable heat pack under a steel tray.",
     ["heats in 15 minutes", "no power needed", "leak-proof"],
     "Are single-use heat packs acceptable?",
     "expired", 80),
    ("goran", "Parking sensor for garages",
     "A laser dot that shows where to stop in the garage.",
     "mobility", ["car", "garage"],
     "Tennis balls on strings are the state of the art.",
     "A ceiling-mounted laser that switches on when the door opens.",
     ["battery powered", "motion triggered", "two cars"],
     "Is this a product or a weekend hack?",
     "expired", 70),
    ("hana", "Knitting row counter ring",
     "A ring with a tiny click counter for knitters.",
     "kids-learning", ["knitting", "crafts"],
     "Knitters lose count of rows constantly.",
     "A stainless ring with a mechanical counter.",
     ["mechanical", "adjustable size", "counts to 99"],
     "Would you wear it all day?",
     "withdrawn", 20),
    ("ivan", "Shoe dryer with cedar inserts",
     "Cedar shoe trees with a gentle fan that dries wet shoes overnight.",
     "home-kitchen", ["shoes", "winter"],
     "Wet shoes smell and crack when dried on radiators.",
     "Cedar inserts with a USB fan in the heel.",
     ["dries overnight", "cedar absorbs odour", "USB powered"],
     "Should the fan heat or just blow?",
     "withdrawn", 14),
    ("jun", "Garden hose reel that winds itself",
     "A wall reel that rewinds using water pressure instead of a spring.",
     "outdoors", ["garden", "water"],
     "Spring reels break; manual reels are tedious.",
     "A small turbine in the inlet turns the drum when you open the rewind valve.",
     ["no electricity", "30 m hose", "wall or cart mount"],
     None, "draft", 0),
    ("kofi", "Phone stand for video calls with a ring light",
     "A weighted stand that puts the camera at eye level with soft light.",
     "work-tools", ["video-calls", "desk"],
     "Laptop cameras look up your nose.",
     "A telescoping stand with a diffused ring light and a cable channel.",
     ["eye-level camera", "soft light", "folds flat"],
     None, "draft", 0),
    ("creator", "Puzzle feeder for indoor rabbits",
     "A wooden puzzle that hides hay and treats to keep rabbits busy.",
     "pets", ["rabbits", "enrichment"],
     "Indoor rabbits get bored and chew furniture.",
     "Sliding wooden blocks over hay compartments, three difficulty levels.",
     ["untreated beech", "three levels", "easy to clean"],
     None, "draft", 0),
    ("lena", "Window insulation film you can reuse",
     "A static-cling film that insulates windows in winter and peels off in spring.",
     "energy", ["insulation", "renters"],
     "Renters lose heat through old windows and cannot replace them.",
     "A two-layer film with an air gap that clings without glue.",
     ["reusable for five winters", "no glue", "cut to size"],
     None, "draft", 0),
]  # fmt: skip

COMMENTS = [
    "Love this. I would buy one tomorrow.",
    "How would this hold up after a year of daily use?",
    "Have you looked at what it would cost to make in small batches?",
    "My neighbour built something similar in his shed; happy to put you in touch.",
    "What about people who are left-handed?",
    "This solves a problem I have every single week.",
    "Is there a version for people on a tight budget?",
    "I work in manufacturing. The tricky part will be tolerances, not the idea.",
]
REPLIES = [
    "Good question. The prototype survived three months so far.",
    "Agreed. We should test it with more people before committing.",
    "I had the same worry, but the numbers look fine.",
    "Thanks! Can you share a photo of that?",
]
SUGGESTIONS = [
    "Suggestion: make the parts replaceable with standard screws so anyone can repair it.",
    "Suggestion: offer it in a recycled-plastic version. It would be cheaper and lighter.",
    "Suggestion: add a QR code that links to a short video on how to use it.",
    "Suggestion: ship it in the product's own storage bag instead of a cardboard box.",
]


def _body(problem: str, idea: str, bullets: list[str], question: str | None) -> str:
    lines = ["## The problem", "", problem, "", "## The idea", "", idea, "", "## What it does"]
    lines += [""] + [f"- {b}" for b in bullets]
    if question:
        lines += ["", "## What I'd like to know", "", f"**{question}**"]
    return "\n".join(lines)


def _backdate(idea: Idea, days: int, now) -> None:
    """Move an idea's publication (and its audit trail) into the past for a lived-in demo."""
    if days <= 0 or idea.published_at is None:
        return
    published = now - timedelta(days=days, hours=days % 7)
    deadline = published + timedelta(days=settings.VOTING_WINDOW_DAYS)
    Idea.objects.filter(pk=idea.pk).update(
        published_at=published, voting_deadline=deadline, created_at=published
    )
    idea.published_at, idea.voting_deadline = published, deadline
    for n, step in enumerate(IdeaTransition.objects.filter(idea=idea).order_by("id")):
        IdeaTransition.objects.filter(pk=step.pk).update(
            created_at=published + timedelta(days=n * max(days // 4, 1))
        )
    # Spread the discussion between publication and now, keeping its order.
    comments = Comment.objects.filter(idea=idea).order_by("id")
    comment_ids = list(comments.values_list("pk", flat=True))
    span = now - published
    for n, pk in enumerate(comment_ids):
        Comment.objects.filter(pk=pk).update(
            created_at=published + span * (n + 1) / (len(comment_ids) + 1)
        )


def seed(stdout) -> None:
    users = {u.username: u for u in User.objects.all()}
    if "creator" not in users or "reviewer" not in users:
        stdout.write("Ideas demo: the demo accounts are missing; skipped.")
        return
    reviewer = users["reviewer"]
    members = [u for name, u in sorted(users.items()) if name not in ("admin", "finance2")]
    categories = {}
    for name, slug, threshold in CATEGORIES:
        categories[slug], _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "vote_threshold": threshold}
        )
    now = timezone.now()
    counts: dict[str, int] = {}
    created: list[tuple[Idea, str]] = []
    for n, row in enumerate(IDEAS):
        username, title, summary, cat, tags, problem, pitch, bullets, question, state, days = row
        creator = users[username]
        video = {}
        if n % 5 == 0:
            video = {"video_url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ"}
        elif n % 7 == 0:
            video = {"video_url": "https://vimeo.com/76979871"}
        idea = idea_create(
            creator=creator,
            title=title,
            summary=summary,
            body=_body(problem, pitch, bullets, question),
            category=categories[cat],
            tags=tags,
            **video,
        )
        if state != "draft":
            idea_publish(idea=idea, actor=creator)
        if state == "withdrawn":
            idea_withdraw(idea=idea, actor=creator, reason="I found an existing product that "
                          "does this well enough.")  # fmt: skip
        created.append((idea, state))
        counts[state] = counts.get(state, 0) + 1

    # Discussion on every published idea: comments, replies, suggestions.
    comment_total = suggestion_total = accepted_total = 0
    for n, (idea, state) in enumerate(created):
        if state == "draft":
            continue
        others = [m for m in members if m.pk != idea.creator_id]
        first_by = others[n % len(others)]
        top = comment_create(idea=idea, author=first_by, body=COMMENTS[n % len(COMMENTS)])
        comment_total += 1
        reply_author = idea.creator if n % 2 == 0 else others[(n + 3) % len(others)]
        comment_create(idea=idea, author=reply_author, body=REPLIES[n % len(REPLIES)], parent=top)
        comment_total += 1
        if n % 3 != 2:
            second = comment_create(
                idea=idea,
                author=others[(n + 5) % len(others)],
                body=COMMENTS[(n + 3) % len(COMMENTS)],
            )
            comment_total += 1
            comment_create(
                idea=idea,
                author=others[(n + 7) % len(others)],
                body="+1, and I'd add: **keep it simple**. The first version should do one "
                "thing well.",
                parent=second,
            )
            comment_total += 1
        if state in ("voting", "review", "expired", "rejected"):
            suggestion = comment_create(
                idea=idea,
                author=others[(n + 2) % len(others)],
                body=SUGGESTIONS[n % len(SUGGESTIONS)],
                is_suggestion=True,
            )
            comment_total += 1
            suggestion_total += 1
            if state in ("voting", "review") and n % 2 == 0:
                comment_accept(comment=suggestion, actor=idea.creator)
                comment_create(
                    idea=idea,
                    author=idea.creator,
                    body="Great suggestion, accepted! I'll add it to the next prototype.",
                    parent=suggestion,
                )
                comment_total += 1
                accepted_total += 1

    # Backdate, then let the expired ideas expire (the voting demo takes the others further).
    for (idea, state), row in zip(created, IDEAS, strict=True):
        _backdate(idea, row[-1], now)
        if state == "expired":
            Idea.objects.filter(pk=idea.pk).update(voting_deadline=now - timedelta(days=2))
            idea_transition(
                idea=idea,
                to_status=IdeaStatus.EXPIRED,
                reason="The voting window ended below the threshold.",
            )

    # One comment waits in the moderation queue; one was already hidden (on the first idea
    # that stays in voting).
    target = next((idea for idea, state in created if state == "voting"), None)
    if target is not None:
        spam = comment_create(
            idea=target,
            author=users["tomas"],
            body="Cheap watches!!! Visit my shop for 90% off, link in my profile.",
        )
        flag_create(reporter=users["alice"], comment=spam, reason="Advertising, not discussion.")
        flag_create(reporter=users["bob"], comment=spam, reason="Spam.")
        rude = comment_create(idea=target, author=users["sami"], body="This is stupid.")
        comment_hide(comment=rude, actor=reviewer, reason="Be kind: criticise ideas, not people.")
    stdout.write(
        f"Demo ideas: {len(created)} ({', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}); "
        f"{comment_total} comments, {suggestion_total} suggestions ({accepted_total} accepted)."
    )
