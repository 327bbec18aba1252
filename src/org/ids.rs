//! Typed indices into the organization's tables.
//!
//! Every entity lives in one `Vec` of [`Org`](super::Org); these small `Copy` handles
//! point into them, so the model, the graph and the indexes refer to each other without
//! cloning names or ARNs.

macro_rules! index_types {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub(crate) u32);

        impl $name {
            /// The position in its table.
            pub fn index(self) -> usize {
                self.0 as usize
            }
            pub(crate) fn new(i: usize) -> Self {
                // INVARIANT: tables never exceed u32::MAX rows; the builder stops far earlier.
                $name(u32::try_from(i).expect("table index fits in u32"))
            }
        }
    )*};
}

index_types! {
    /// An organizational unit.
    OuIx,
    /// A member (or the management) account.
    AccountIx,
    /// An IAM user.
    UserIx,
    /// An IAM group.
    GroupIx,
    /// An IAM role.
    RoleIx,
    /// A policy: AWS managed, customer managed, inline, SCP, RCP, trust or resource policy.
    PolicyIx,
    /// A resource with a policy (bucket, key, queue, ...).
    ResourceIx,
    /// A distinct compiled policy document, shared by every policy with the same kind,
    /// name and text.
    DocIx,
}

/// Where an OU or account hangs in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Parent {
    Root,
    Ou(OuIx),
}

/// An IAM principal of the organization (ordered users first, for sorted lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrincipalIx {
    User(UserIx),
    Role(RoleIx),
}

/// Anything the organization holds, by handle: what the ARN and name indexes return,
/// and what a graph node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Root,
    Ou(OuIx),
    Account(AccountIx),
    User(UserIx),
    Group(GroupIx),
    Role(RoleIx),
    Policy(PolicyIx),
    Resource(ResourceIx),
}

impl From<PrincipalIx> for Entity {
    fn from(p: PrincipalIx) -> Entity {
        match p {
            PrincipalIx::User(u) => Entity::User(u),
            PrincipalIx::Role(r) => Entity::Role(r),
        }
    }
}

impl From<Parent> for Entity {
    fn from(p: Parent) -> Entity {
        match p {
            Parent::Root => Entity::Root,
            Parent::Ou(o) => Entity::Ou(o),
        }
    }
}
