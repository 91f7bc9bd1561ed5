"""Scorecard API. Every member reads; contributors write scorecards and candidates; admins write the
organization's default weights and data policy. Writes go through the services."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.viewsets import OrgGenericViewSet, OrgModelViewSet
from apps.core.permissions import ADMINS, CONTRIBUTORS
from apps.scorecards import selectors, services
from apps.scorecards.api.serializers import (
    CandidateSerializer,
    DataPolicySerializer,
    ScorecardSerializer,
    WeightProfileSerializer,
)
from apps.scorecards.comparison import build_summary
from apps.scorecards.display import scoring_error_text
from apps.scorecards.evaluation import plain
from apps.scorecards.models import DataPolicy, Scorecard, ScorecardCandidate, WeightProfile
from apps.scorecards.scoring import ScoringError


class ScorecardViewSet(OrgModelViewSet):
    """Scorecards. ``PATCH`` on a frozen scorecard creates its next version (answered 201 with it).
    ``POST …/freeze/`` stores the immutable snapshot; ``POST …/new-version/`` copies a frozen one;
    ``GET …/evaluation/`` gives the scores, checks, ranking, sensitivity and summary;
    ``GET …/snapshot/`` the frozen snapshot with its SHA-256."""

    serializer_class = ScorecardSerializer
    queryset = Scorecard.objects.none()
    write_roles = CONTRIBUTORS
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Scorecard]:
        params = self.request.query_params
        status_ = params.get("status", "")
        return selectors.scorecard_list(
            organization=self.organization,
            q=params.get("q", "")[:100],
            use_case=params.get("use_case") if str(params.get("use_case", "")).isdigit() else None,
            status=status_ if status_ in Scorecard.Status.values else "",
        )

    def _out(self, scorecard: Scorecard, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=scorecard.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        scorecard = services.scorecard_create(
            organization=self.organization,
            actor=request.user,
            use_case=data.pop("use_case"),
            registered_models=data.pop("registered_models", []),
            **data,
        )
        return self._out(scorecard, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k not in ("use_case", "registered_models")}
        saved = services.scorecard_update(
            organization=self.organization, actor=request.user, scorecard=instance, **data
        )
        return self._out(saved, status.HTTP_201_CREATED if saved.pk != instance.pk else status.HTTP_200_OK)

    def perform_destroy(self, instance: Scorecard) -> None:
        services.scorecard_delete(organization=self.organization, actor=self.request.user, scorecard=instance)

    @extend_schema(request=None, responses={200: ScorecardSerializer})
    @action(detail=True, methods=["post"])
    def freeze(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        frozen = services.scorecard_freeze(
            organization=self.organization, actor=request.user, scorecard=self.get_object()
        )
        return self._out(frozen)

    @extend_schema(request=None, responses={201: ScorecardSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        new = services.scorecard_new_version(
            organization=self.organization, actor=request.user, scorecard=self.get_object()
        )
        return self._out(new, status.HTTP_201_CREATED)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def evaluation(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scorecard = self.get_object()
        try:
            evaluation = selectors.scorecard_evaluate(organization=self.organization, scorecard=scorecard)
        except ScoringError as exc:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"weights": [scoring_error_text(exc)]}, code=exc.code) from exc
        body = evaluation.to_dict()
        body["summary"] = plain(asdict(build_summary([c.facts for c in evaluation.candidates])))
        body["scorecard"] = {"id": scorecard.pk, "status": scorecard.status, "version": scorecard.version}
        body["snapshot_sha256"] = scorecard.snapshot_sha256 or None
        return Response(body)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def snapshot(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scorecard = self.get_object()
        if not scorecard.is_frozen:
            from rest_framework.exceptions import NotFound

            raise NotFound()
        return Response(
            {
                "sha256": scorecard.snapshot_sha256,
                "verified": services.snapshot_verifies(scorecard),
                "canonical": "json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False), UTF-8",
                "snapshot": scorecard.snapshot,
            }
        )


class CandidateViewSet(OrgModelViewSet):
    """Shortlist entries of scorecards (filter with ``?scorecard=<id>``). Frozen scorecards refuse changes."""

    serializer_class = CandidateSerializer
    queryset = ScorecardCandidate.objects.none()
    write_roles = CONTRIBUTORS
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ScorecardCandidate]:
        qs = ScorecardCandidate.objects.filter(organization=self.organization).select_related("registered_model")
        scorecard = self.request.query_params.get("scorecard", "")
        if scorecard.isdigit():
            qs = qs.filter(scorecard_id=int(scorecard))
        return qs

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        candidate = services.candidate_add(
            organization=self.organization,
            actor=request.user,
            scorecard=data.pop("scorecard"),
            registered_model=data.pop("registered_model"),
            **data,
        )
        return Response(self.get_serializer(candidate).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k not in ("scorecard", "registered_model")}
        candidate = services.candidate_update(
            organization=self.organization, actor=request.user, candidate=instance, **data
        )
        return Response(self.get_serializer(candidate).data)

    def perform_destroy(self, instance: ScorecardCandidate) -> None:
        services.candidate_remove(organization=self.organization, actor=self.request.user, candidate=instance)


class _SingletonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, OrgGenericViewSet):
    """One row per organization. The list holds that row (or the defaults, unsaved, with ``id: null``);
    ``POST`` on the list sets it (creating it the first time), ``PATCH`` on the row changes it."""

    write_roles = ADMINS
    filter_backends: list[Any] = []
    pagination_class = None

    def current(self) -> Any:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response([self.get_serializer(self.current()).data])

    def save(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(self.current(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return Response(self.get_serializer(self.save(dict(serializer.validated_data))).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return Response(self.get_serializer(self.save(dict(serializer.validated_data))).data)


class WeightProfileViewSet(_SingletonViewSet):
    """The organization's default weights (every member reads; admins write)."""

    serializer_class = WeightProfileSerializer
    queryset = WeightProfile.objects.none()

    def get_queryset(self) -> QuerySet[WeightProfile]:
        return WeightProfile.objects.filter(organization=self.organization)

    def current(self) -> WeightProfile:
        return selectors.weight_profile_for(organization=self.organization)

    def save(self, data: dict[str, Any]) -> WeightProfile:
        return services.weight_profile_update(organization=self.organization, actor=self.request.user, **data)


class DataPolicyViewSet(_SingletonViewSet):
    """The organization's data policy: a verdict per (classification, hosting option).
    Every member reads; admins write."""

    serializer_class = DataPolicySerializer
    queryset = DataPolicy.objects.none()

    def get_queryset(self) -> QuerySet[DataPolicy]:
        return DataPolicy.objects.filter(organization=self.organization)

    def current(self) -> DataPolicy:
        return selectors.data_policy_for(organization=self.organization)

    def save(self, data: dict[str, Any]) -> DataPolicy:
        return services.data_policy_update(
            organization=self.organization, actor=self.request.user, rules=data.get("rules", {})
        )
