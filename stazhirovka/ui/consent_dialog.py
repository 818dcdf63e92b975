"""«Отозвать согласие на обработку ПДн…» (152-ФЗ; services/personal_data.py): says what the
withdrawal does before it is done — name, contacts and СНИЛС are erased for good, the
certificate register and statistics stay — asks for the date, then anonymizes the person.
A refusal of the service (a date in the future, consent already withdrawn, a role that may
not change people) is shown in the dialog, which stays open."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from .errors import report
from .widgets import DateField

if TYPE_CHECKING:
    from ..db import Database


class ConsentDialog(QDialog):
    """Accepted once the withdrawal is recorded and the person anonymized."""

    def __init__(
        self,
        db: Database,
        person_id: int,
        person: str,
        actor: str = "",
        parent: QWidget | None = None,
        *,
        dirty: bool = False,
    ) -> None:
        super().__init__(parent)
        self.db, self.person_id, self.actor = db, person_id, actor
        self.setWindowTitle(self.tr("Отзыв согласия на обработку персональных данных"))
        text = self.tr(
            "Педагог «{person}» отзывает согласие на обработку персональных данных.\n\n"
            "Фамилия, имя, отчество, телефон, электронная почта, СНИЛС, образование и "
            "склонение ФИО будут стёрты безвозвратно — также и прежние значения в журнале "
            "изменений. Восстановить их программа не сможет.\n\n"
            "Сохранятся: реестр выданных сертификатов (архивная запись с ФИО, как оно было "
            "напечатано) и статистика прошлых периодов — пол, организация, должность, "
            "категория и стаж остаются в записи без имени."
        ).format(person=person)
        if dirty:
            text += "\n\n" + self.tr("Несохранённые изменения в форме будут отброшены.")
        about = QLabel(text, self)
        about.setWordWrap(True)
        self.date_field = DateField(self)
        self.date_field.set_value(date.today())
        form = QFormLayout()
        form.addRow(self.tr("Дата отзыва согласия:"), self.date_field)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        buttons = QDialogButtonBox(self)
        self.withdraw_button = buttons.addButton(
            self.tr("Отозвать согласие и обезличить"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = buttons.addButton(self.tr("Отмена"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)  # Enter does not erase anything
        self.withdraw_button.clicked.connect(self.withdraw)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def withdraw(self) -> bool:
        from ..services.personal_data import withdraw_consent

        on = self.date_field.date()
        if on is None:
            self._show(self.tr("Укажите дату отзыва согласия в виде ДД.ММ.ГГГГ."))
            self.date_field.setFocus()
            return False
        try:
            with self.db.session() as session:
                withdraw_consent(session, self.person_id, on, actor=self.actor)
        except Exception as exc:  # refused by the service, or the database is busy
            self._show(report(exc, "consent withdrawal"))
            return False
        self.accept()
        return True

    def _show(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
