"""What a validation refusal calls the visits app's API parameters that no schema Field titles
(`VisitsConfig.field_labels`): the keys of a campaign's coverage targets, a SubjectGroup each."""

from .constants import SubjectGroup

FIELD_LABELS = {
    # ----- campaigns, pairing, teams, assignment
    **{group.value: group.label for group in SubjectGroup},
}
