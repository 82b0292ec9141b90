"""The follow-up life of a bad rating (差评) as data (issue 15 item 1; `FollowUpStatus`).

`rating_give` opens it (OPEN, with the call-back and rectification deadlines) and tells the
responsible department at once. One row per (status, action): who may take it and where the
rating goes. The same table draws the buttons of the bad-rating page, answers the API's
`actions` and is checked by every service of `govhall.feedback.services.rating_follow_up`
(`rating_refusal`); anything it does not allow is refused with nothing changed.

    OPEN      --call_back-->     VERIFIED    (call-back recorded; finding: justified yes/no)
    VERIFIED  --rectify-->       RECTIFIED   (a justified rating: the rectification's result)
    RECTIFIED --tell-->          CLOSED      (result told; SMS with a link to rate again)
    VERIFIED  --tell-->          CLOSED      (only when found not justified: nothing to rectify)
    OPEN      --appeal-->        APPEALED    (malicious or mistaken, with a reason)
    VERIFIED  --appeal-->        APPEALED    (only when found not justified)
    APPEALED  --exclude-->       EXCLUDED    (management agrees: out of the figures, reason kept)
    APPEALED  --reject_appeal--> the state before the appeal (`BEFORE_APPEAL`)

The state before an appeal is not stored: it is VERIFIED when the call-back was recorded
(`called_back_at`), else OPEN — the only two states an appeal starts from.

Who is a relation of the user to the rating (`govhall.feedback.queries.rating_follow_up.
BadRatingViewer`):

- the department: the head of the rating's window, and the window heads and leaders of the
  responsible department (the rating's department, else the rated staff member's); for a rating
  with no department at all (the hall's facilities) the center's management. They call back,
  rectify, tell the citizen and appeal.
- management: a hall director (or administrator) managing the rating's center
  (`govhall.org.access.standing.manages_center`) decides appeals.

Nobody follows up or decides on their own rating: the rated staff member is never a party.

Guards are predicates of the service, keyed by name:

- `justified`: rectification is for a rating the verification found justified;
- `not_justified`: the result is told straight after the call-back only when the verification
  found the rating not justified;
- `may_appeal`: one appeal per rating (a rejected appeal is not made again), and a verified
  rating only when found not justified (a department that found it justified cannot call it
  malicious; so a justified rating's staff fact is never undone by an exclusion).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.feedback.models.ratings import FollowUpStatus as S


class RatingAction(models.TextChoices):
    CALL_BACK = "call_back", _("Record the call-back and verification")
    RECTIFY = "rectify", _("Record the rectification")
    TELL = "tell", _("Tell the citizen the result")
    APPEAL = "appeal", _("Appeal as malicious or mistaken")
    EXCLUDE = "exclude", _("Agree: exclude from the figures")
    REJECT_APPEAL = "reject_appeal", _("Reject the appeal")


class RatingParty(models.TextChoices):
    DEPARTMENT = "department", _("The responsible department")
    MANAGEMENT = "management", _("The hall's management")


# A pseudo-state: the state the rating was in before the appeal (VERIFIED when called back,
# else OPEN); the service resolves it.
BEFORE_APPEAL = "before_appeal"

A = RatingAction
DEPARTMENT = frozenset({RatingParty.DEPARTMENT.value})
MANAGEMENT = frozenset({RatingParty.MANAGEMENT.value})
# Management's decisions on an appeal.
APPEAL_DECISIONS = frozenset({A.EXCLUDE.value, A.REJECT_APPEAL.value})

RATING_TRANSITIONS = TransitionTable(
    [
        Transition(S.OPEN, A.CALL_BACK, DEPARTMENT, S.VERIFIED),
        Transition(S.OPEN, A.APPEAL, DEPARTMENT, S.APPEALED, guard="may_appeal"),
        Transition(S.VERIFIED, A.RECTIFY, DEPARTMENT, S.RECTIFIED, guard="justified"),
        Transition(S.VERIFIED, A.TELL, DEPARTMENT, S.CLOSED, guard="not_justified"),
        Transition(S.VERIFIED, A.APPEAL, DEPARTMENT, S.APPEALED, guard="may_appeal"),
        Transition(S.RECTIFIED, A.TELL, DEPARTMENT, S.CLOSED),
        Transition(S.APPEALED, A.EXCLUDE, MANAGEMENT, S.EXCLUDED),
        Transition(S.APPEALED, A.REJECT_APPEAL, MANAGEMENT, BEFORE_APPEAL),
    ]
)
