from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.viewsets import OrgModelViewSet, OrgReadOnlyViewSet
from apps.core.permissions import CONTRIBUTORS
from apps.usecases import selectors
from apps.usecases.api.serializers import PhaseMoveSerializer, PhaseTransitionSerializer, UseCaseSerializer
from apps.usecases.filters import PhaseTransitionFilter, UseCaseFilter
from apps.usecases.models import PhaseTransition, UseCase
from apps.usecases.services import usecase_create, usecase_delete, usecase_move_phase, usecase_update


class UseCaseViewSet(OrgModelViewSet):
    """Use cases with their requirements, derived data classification and readiness roll-up.
    Contributors write; every member reads. ``POST …/move-phase/`` moves the life-cycle phase."""

    serializer_class = UseCaseSerializer
    filterset_class = UseCaseFilter
    write_roles = CONTRIBUTORS
    queryset = UseCase.objects.none()

    def get_queryset(self) -> Any:
        return selectors.usecase_list()

    def perform_create(self, serializer: UseCaseSerializer) -> None:  # type: ignore[override]
        serializer.instance = usecase_create(
            organization=self.organization, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: UseCaseSerializer) -> None:  # type: ignore[override]
        updated = usecase_update(
            organization=self.organization,
            actor=self.request.user,
            use_case=cast(UseCase, serializer.instance),
            **serializer.validated_data,
        )
        serializer.instance = selectors.usecase_list().get(pk=updated.pk)

    def perform_destroy(self, instance: UseCase) -> None:
        usecase_delete(organization=self.organization, actor=self.request.user, use_case=instance)

    @extend_schema(request=PhaseMoveSerializer, responses={201: PhaseTransitionSerializer})
    @action(detail=True, methods=["post"], url_path="move-phase", url_name="move-phase")
    def move_phase(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        use_case = self.get_object()
        body = PhaseMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transition = usecase_move_phase(
            organization=self.organization, actor=request.user, use_case=use_case, **body.validated_data
        )
        return Response(PhaseTransitionSerializer(transition).data, status=status.HTTP_201_CREATED)

    def get_serializer_class(self) -> Any:
        if getattr(self, "action", None) == "move_phase":
            return PhaseMoveSerializer
        return super().get_serializer_class()


class PhaseTransitionViewSet(OrgReadOnlyViewSet):
    """The phase history of every use case (``?use_case=<id>`` for one), newest first."""

    serializer_class = PhaseTransitionSerializer
    filterset_class = PhaseTransitionFilter
    queryset = PhaseTransition.objects.none()

    def get_queryset(self) -> Any:
        return selectors.phase_transition_list()


__all__ = ["PhaseTransitionViewSet", "UseCaseViewSet", "mixins"]
