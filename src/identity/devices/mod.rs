//! A person's own phone: a device code from staff redeemed once for a device key (`keys`, kept
//! as a hash), then sign-in with that key and a PIN; the PIN changed by the person.

pub mod change_pin;
pub mod keys;
pub mod person_login;
pub mod redeem_device_code;
pub mod types;
