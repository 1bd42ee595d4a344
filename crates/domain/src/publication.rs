//! Answers published to the public disclosure log (*informasi yang telah dijawab*): what a citizen
//! can read without asking again. Publication follows a personal-data check (§11.4).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::privacy::{self, Finding};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PublicationEvent {
    Published {
        title: String,
        text: String,
        /// The registration number of the answered request, if it came from one.
        request: Option<String>,
        documents: Vec<Uuid>,
        /// Keys of findings the officer confirmed as public information.
        confirmed: Vec<String>,
    },
    Unpublished {
        reason: String,
    },
}

impl PublicationEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Published { .. } => "published",
            Self::Unpublished { .. } => "unpublished",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationState {
    pub title: String,
    pub text: String,
    pub request: Option<String>,
    pub documents: Vec<Uuid>,
    pub confirmed: Vec<String>,
    pub published: bool,
    pub unpublished_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublicationError {
    #[error("the first event must publish")]
    NotPublished,
    #[error("already withdrawn")]
    AlreadyWithdrawn,
    #[error("a withdrawn publication is published anew, not revived")]
    Republish,
}

impl PublicationState {
    pub fn from_events<'a>(
        events: impl IntoIterator<Item = &'a PublicationEvent>,
    ) -> Result<Self, PublicationError> {
        let mut it = events.into_iter();
        let mut s = match it.next() {
            Some(PublicationEvent::Published {
                title,
                text,
                request,
                documents,
                confirmed,
            }) => Self {
                title: title.clone(),
                text: text.clone(),
                request: request.clone(),
                documents: documents.clone(),
                confirmed: confirmed.clone(),
                published: true,
                unpublished_reason: None,
            },
            _ => return Err(PublicationError::NotPublished),
        };
        for e in it {
            s.apply(e)?;
        }
        Ok(s)
    }

    pub fn apply(&mut self, e: &PublicationEvent) -> Result<(), PublicationError> {
        match e {
            PublicationEvent::Published { .. } => Err(PublicationError::Republish),
            PublicationEvent::Unpublished { reason } => {
                if !self.published {
                    return Err(PublicationError::AlreadyWithdrawn);
                }
                self.published = false;
                self.unpublished_reason = Some(reason.clone());
                Ok(())
            }
        }
    }
}

/// Findings in one text that the officer has not confirmed.
pub fn unconfirmed(text: &str, confirmed: &[String]) -> Vec<Finding> {
    privacy::scan(text)
        .into_iter()
        .filter(|f| !confirmed.contains(&f.key))
        .collect()
}
